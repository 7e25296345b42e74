extension SpotPolicySimulation {
    /// The names of the multi-zone policies, in the order ``run(market:named:starts:)`` reports them.
    public static let multiZonePolicyNames = [
        "on-demand-only", "greedy", "uniform-progress", "gridbroker", "omniscient",
    ]

    /// Every multi-zone policy, from every start, for every deadline, in `market`.
    ///
    /// The online policies are the single-zone ones in ``ZonedSpotPolicy``, plus ``GreedySpotPolicy``.
    /// "omniscient" is a floor: the best run on the market's ``SpotMarket/union``, where moving
    /// between zones is free. Any run in the market maps, tick by tick, to a run there on the same
    /// market (spot, on-demand or none) that owes no more overhead, so it makes at least the same
    /// progress at every tick, finishes no later, and costs no more; and ``OmniscientPlanner`` finds
    /// the best run there exactly. The true multi-zone optimum of a run lies between the floor and
    /// the cheapest policy's cost.
    public func run(market: SpotMarket, named name: String, starts: [Int]) -> [SpotSimulationRecord] {
        let union = market.union
        // The gridbroker policy learns from the market's past: when some zone had spot, before each start.
        let histories = Dictionary(
            starts.map { ($0, SpotHistory(trace: union.prefix(before: $0))) }, uniquingKeysWith: { first, _ in first })
        var records: [SpotSimulationRecord] = []
        for deadline in deadlineSeconds {
            let job = SpotJob(
                workSeconds: workSeconds, deadlineSeconds: deadline, restartOverheadSeconds: restartOverheadSeconds)
            let replay = MultiZoneReplay(market: market, job: job, prices: prices)
            let planner = OmniscientPlanner(trace: union, job: job, prices: prices)
            for start in starts {
                let online: [any MultiZoneSpotPolicy] = [
                    ZonedSpotPolicy(OnDemandOnlyPolicy()), ZonedSpotPolicy(GreedySpotPolicy()),
                    ZonedSpotPolicy(UniformProgressPolicy()),
                    ZonedSpotPolicy(
                        GridbrokerSpotPolicy(job: job, history: histories[start] ?? .empty, prices: prices)),
                ]
                var results = online.map { (name: $0.name, result: replay.run($0, from: start)) }
                // Every run in the market costs at least the floor: the online costs bound its search.
                let plan = planner.plan(from: start, knownCost: results.map(\.result.cost).min())
                let floor = SpotReplay(trace: union, job: job, prices: prices)
                    .run(OmniscientPolicy(plan: plan, job: job, prices: prices), from: start)
                results.append(("omniscient", floor))
                for (policy, result) in results {
                    records.append(
                        SpotSimulationRecord(policy: policy, trace: name, start: start, job: job, result: result))
                }
            }
        }
        return records
    }
}
