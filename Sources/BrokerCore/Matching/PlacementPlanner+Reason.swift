extension PlacementPlanner {
    /// Why `search` found no gang among `total` offers, in numbers: the per-node requirement that
    /// left no offer (with the count after each requirement), or, when some offers qualify, the
    /// binding gang-level constraint: capacity, the price cap, the deadline or the budget.
    ///
    /// The search's lists must hold every offer of an accepted model (the others fail the first
    /// requirement, so only `total` counts them).
    static func reason(_ requirements: Requirements, total: Int, search: GangSearch) -> String {
        let spec = requirements.spec
        if requirements.nodes < 1 { return "resources.nodes must be at least 1" }
        if requirements.models.isEmpty {
            return
                "no GPU model the catalog knows matches resources.gpu (\(spec.resources.gpu.joined(separator: ", ")))"
        }
        let stages = perNodeStages(requirements)
        var counts: [Int] = []
        var remaining = search.lists.indices.flatMap { list in
            search.lists[list].positions.map { GangSearch.OfferRef(list: list, position: $0) }
        }
        for stage in stages {
            remaining.removeAll { !stage.admits(search.offer($0)) }
            counts.append(remaining.count)
            if remaining.isEmpty { break }
        }
        if remaining.isEmpty {
            guard total > 0 else { return "no offer fits: there are no offers" }
            let steps = zip(counts, stages).map { "\(grouped($0)) \($1.label)" }
            return "no offer fits: of \(grouped(total)) offers, " + steps.joined(separator: ", ")
        }
        let nodes = requirements.nodes
        var summary =
            "no placement fits: \(grouped(remaining.count)) \(requirements.modelNames.joined(separator: "/")) offers"
            + " with \(requirements.gpusPerNode) GPU\(requirements.gpusPerNode == 1 ? "" : "s")"
        if let countries = requirements.countries {
            summary += " in " + countries.sorted().joined(separator: ", ")
        }
        summary += " meet every per-node requirement, but "
        let funnel = search.funnel
        if funnel.groupsWithCapacity == 0 {
            let scope =
                requirements.sameRegion
                ? "in one provider region and market" : "of one GPU model in one market"
            return summary
                + "not enough capacity for \(nodes) nodes \(scope) (at most \(funnel.largestShortCapacity))"
        }
        if funnel.gangsWithinCap == 0, let cap = requirements.maxPricePerHour, let cheapest = funnel.cheapestGang {
            return summary
                + "the cheapest \(nodes)-node gang is \(dollars(cheapest))/h against a cap of \(dollars(cap))/h"
        }
        if requirements.hoursByModel != nil, funnel.gangsWithinDeadline == 0,
            let seconds = requirements.secondsToDeadline, let fastest = funnel.fastestHours
        {
            let deadline = seconds > 0 ? "deadline in \(oneDecimal(seconds / 3600)) h" : "the deadline has passed"
            return summary + "the fastest placement needs \(oneDecimal(fastest)) h, \(deadline)"
        }
        if let budget = requirements.budget, let cheapest = funnel.cheapestCost {
            return summary
                + "the cheapest placement costs \(dollars(cheapest)) to finish against a budget of \(dollars(budget))"
        }
        return summary + "no gang fits"
    }

    /// One per-node requirement, as the reason names it ("have 8 GPUs").
    struct Stage {
        var label: String
        var admits: (Offer) -> Bool
    }

    /// The per-node requirements the spec sets, in the order the reason reports them.
    static func perNodeStages(_ requirements: Requirements) -> [Stage] {
        let resources = requirements.spec.resources
        let names = requirements.modelNames
        let gpus = requirements.gpusPerNode
        var stages = [
            Stage(label: "are \(names.joined(separator: "/"))") { names.contains($0.gpu.model?.name ?? "") },
            Stage(label: "have \(gpus) GPU\(gpus == 1 ? "" : "s")") { $0.gpuCount == gpus },
        ]
        if let minimum = resources.minGPUMemoryGB {
            stages.append(Stage(label: "have at least \(minimum) GB per GPU") { $0.gpuMemoryGB >= minimum })
        }
        if let minimum = resources.minVCPUs {
            stages.append(Stage(label: "have at least \(minimum) vCPUs") { $0.vcpus >= minimum })
        }
        if let minimum = resources.minMemoryGB {
            stages.append(Stage(label: "have at least \(minimum) GB of memory") { $0.memoryGB >= minimum })
        }
        if let minimum = resources.minDiskGB {
            stages.append(Stage(label: "have at least \(minimum) GB of disk") { $0.diskGB >= minimum })
        }
        if let interconnect = requirements.interconnect {
            stages.append(
                Stage(label: "have \(interconnect) interconnect") { offer in
                    offer.interconnect.map { Requirements.equalsIgnoringASCIICase($0, lowercase: interconnect) }
                        ?? false
                })
        }
        if let countries = requirements.countries {
            stages.append(
                Stage(label: "are in \(countries.sorted().joined(separator: ", "))") { offer in
                    offer.country.map(countries.contains) ?? false
                })
        }
        let excluded = requirements.excludedProviders
        if !excluded.isEmpty {
            stages.append(
                Stage(label: "are not from \(excluded.sorted().joined(separator: ", "))") {
                    !excluded.contains($0.providerID)
                })
        }
        if !requirements.allowsSpot || !requirements.allowsOnDemand {
            let market: Market = requirements.allowsSpot ? .spot : .onDemand
            let name = market == .spot ? "spot" : "on-demand"
            stages.append(Stage(label: "are on the \(name) market") { $0.market == market })
        }
        stages.append(Stage(label: "are available") { $0.available >= 1 })
        return stages
    }

    /// "1,204".
    static func grouped(_ count: Int) -> String {
        let digits = String(count.magnitude)
        var text = count < 0 ? "-" : ""
        for (position, digit) in digits.enumerated() {
            if position > 0, (digits.count - position) % 3 == 0 { text += "," }
            text.append(digit)
        }
        return text
    }

    /// "$52.10".
    static func dollars(_ microdollars: Int64) -> String {
        Money(microdollars: microdollars).formatted()
    }

    /// "41.0"; large or non-finite values as "more than 1000000000".
    static func oneDecimal(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e9 else { return "more than 1000000000" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths < 0 ? "-" : "")\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }
}
