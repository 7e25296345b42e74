import Hummingbird

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// EC2's `RunInstances`, `DescribeInstances` and `TerminateInstances` on the Query API of one
/// region. Each (type, zone) has room for a few instances, spot and on-demand together; a launch
/// that does not fit is refused with `InsufficientInstanceCapacity`. `ClientToken` makes launches
/// idempotent. Terminated instances stay described for a while.
struct AWSInstances: Sendable {
    typealias Parameters = [(key: String, value: String)]

    let market: AWSMarket
    let instances: InstanceRegistry

    /// One request to an action: its parameters, region, request id and time.
    struct Call {
        var parameters: Parameters
        var region: String
        var requestID: String
        var refusesLaunches: Bool
        var time: Double

        func value(_ name: String) -> String? { AWSResponder.value(name, in: parameters) }

        func error(_ code: String, _ message: String) -> ProviderReply {
            AWSResponder.error(.badRequest, code, message, requestID: requestID)
        }
    }

    func runInstances(_ call: Call) -> ProviderReply {
        guard let image = call.value("ImageId") else { return Self.missing("ImageId", call) }
        guard let typeName = call.value("InstanceType") else { return Self.missing("InstanceType", call) }
        guard let typeIndex = AWSMarket.instanceTypes.firstIndex(where: { $0.name == typeName }) else {
            return call.error("InvalidParameterValue", "Invalid value '\(typeName)' for InstanceType.")
        }
        guard let minText = call.value("MinCount") else { return Self.missing("MinCount", call) }
        guard let maxText = call.value("MaxCount") else { return Self.missing("MaxCount", call) }
        guard let minCount = Int(minText), let maxCount = Int(maxText), minCount >= 1, minCount <= maxCount else {
            return call.error(
                "InvalidParameterValue", "MinCount and MaxCount must be integers with 1 <= MinCount <= MaxCount.")
        }
        guard let regionIndex = AWSMarket.regions.firstIndex(where: { $0.name == call.region }) else {
            return call.error("InvalidParameterValue", "Invalid region: \(call.region)")
        }
        let zone = call.value("Placement.AvailabilityZone")
        if let zone, !AWSMarket.zones.contains(where: { $0.name == zone && $0.region == regionIndex }) {
            return call.error("InvalidParameterValue", "Invalid availability zone: [\(zone)]")
        }
        let series = market.series.filter { series in
            series.type == typeIndex && AWSMarket.zones[series.zone].region == regionIndex
                && (zone == nil || AWSMarket.zones[series.zone].name == zone)
        }
        guard !series.isEmpty else {
            let place = zone.map { "Availability Zone (\($0))" } ?? "region (\(call.region))"
            return call.error(
                "Unsupported", "Your requested instance type (\(typeName)) is not supported in your requested \(place)."
            )
        }
        let spot = call.value("InstanceMarketOptions.MarketType") == "spot"
        let onDemand = AWSMarket.onDemandPrice(AWSMarket.instanceTypes[typeIndex], regionIndex: regionIndex)
        var affordable = series
        if spot {
            var maxPrice = onDemand
            if let text = call.value("InstanceMarketOptions.SpotOptions.MaxPrice") {
                guard let price = Double(text), price.isFinite, price > 0, price < 1e9 else {
                    return call.error("InvalidParameterValue", "Invalid value '\(text)' for SpotOptions.MaxPrice.")
                }
                maxPrice = price
            }
            affordable = series.filter { market.spotPrice($0, at: call.time) <= maxPrice }
            guard !affordable.isEmpty else {
                let lowest = series.map { market.spotPrice($0, at: call.time) }.min() ?? 0
                return call.error(
                    "SpotMaxPriceTooLow",
                    "Your Spot request price of \(AWSResponder.fixed6(maxPrice)) is lower than the minimum required "
                        + "Spot request fulfillment price of \(AWSResponder.fixed6(lowest)).")
            }
        }
        let candidates = affordable.map { series in
            InstanceRegistry.Candidate(
                pool: AWSMarket.pool(series), capacity: call.refusesLaunches ? 0 : market.capacity(series),
                spotZone: spot ? AWSMarket.spotZone(series) : nil)
        }
        let tags = Self.instanceTags(call.parameters)
        let name = tags.first { $0.key == "Name" }?.value ?? ""
        let type = AWSMarket.instanceTypes[typeIndex]
        let userData = call.value("UserData").flatMap { Data(base64Encoded: $0) }.map {
            String(decoding: $0, as: UTF8.self)
        }
        for count in stride(from: maxCount, through: minCount, by: -1) {
            let outcome = instances.launch(
                .aws, candidates: candidates, units: 1, count: count, clientToken: call.value("ClientToken"),
                at: call.time
            ) { chosen in
                let series = affordable[chosen]
                let zoneName = AWSMarket.zones[series.zone].name
                var instance = SimulatedInstance(
                    name: name, offer: spot ? "\(typeName):\(zoneName):spot" : "\(typeName):\(call.region):on_demand",
                    type: typeName, region: call.region, zone: zoneName, image: image, spot: spot,
                    pricePerHour: spot ? market.spotPrice(series, at: call.time) : onDemand, tags: tags)
                if let userData {
                    instance.environment = BootScript.environment(userData)
                    instance.boot = .script(userData)
                }
                instance.setGPU(named: type.gpu, count: type.gpus)
                return instance
            }
            switch outcome {
            case .launched(let made), .existing(let made):
                return Self.reservation(made, requestID: call.requestID, at: call.time)
            case .noCapacity:
                continue
            }
        }
        let place = zone.map { "the Availability Zone you requested (\($0))" } ?? "the region you requested"
        return call.error(
            "InsufficientInstanceCapacity",
            "We currently do not have sufficient \(typeName) capacity in \(place). Our system will be working on "
                + "provisioning additional capacity.")
    }

    func describeInstances(_ call: Call) -> ProviderReply {
        let ids = AWSResponder.indexed("InstanceId", in: call.parameters)
        if let malformed = ids.first(where: { !Self.isInstanceID($0) }) {
            return call.error("InvalidInstanceID.Malformed", "Invalid id: \"\(malformed)\"")
        }
        let filters = AWSResponder.filters(in: call.parameters)
        let known = ["tag-key", "instance-state-name", "instance-id", "instance-type", "availability-zone"]
        if let bad = filters.first(where: { !known.contains($0.0) && !$0.0.hasPrefix("tag:") }) {
            return call.error("InvalidParameterValue", "The filter '\(bad.0)' is invalid")
        }
        let listed = instances.instances(.aws, at: call.time).filter { $0.region == call.region }
        if let unknown = ids.first(where: { id in !listed.contains { $0.id == id } }) {
            return call.error("InvalidInstanceID.NotFound", "The instance ID '\(unknown)' does not exist")
        }
        let selected = listed.filter { instance in
            (ids.isEmpty || ids.contains(instance.id))
                && filters.allSatisfy { Self.matches(instance, filter: $0.0, values: $0.1, at: call.time) }
        }
        var offset = 0
        var pageSize = selected.count
        if let text = call.value("MaxResults") {
            guard ids.isEmpty else {
                return call.error(
                    "InvalidParameterCombination",
                    "The parameter instancesSet cannot be used with the parameter maxResults")
            }
            guard let size = Int(text), (5...1_000).contains(size) else {
                return call.error("InvalidParameterValue", "Value ( \(text) ) for parameter maxResults is invalid.")
            }
            pageSize = size
        }
        if let token = call.value("NextToken"), !token.isEmpty {
            guard let decoded = AWSResponder.decodeToken(token) else {
                return call.error("InvalidNextToken", "The specified token \(token) is not valid.")
            }
            offset = decoded
        }
        let page = Array(selected.dropFirst(offset).prefix(pageSize))
        var body = page.isEmpty ? "<reservationSet/>" : "<reservationSet>"
        var start = 0
        while start < page.count {
            // Consecutive instances of one launch share a reservation.
            let reservation = page[start].reservation
            let end = page[start...].firstIndex { $0.reservation != reservation } ?? page.count
            body += "<item><reservationId>" + reservation + "</reservationId><ownerId>" + Self.ownerID
            body += "</ownerId><groupSet/><instancesSet>"
            for (index, instance) in page[start..<end].enumerated() {
                body += AWSInstanceXML.item(instance, launchIndex: index, at: call.time)
            }
            body += "</instancesSet></item>"
            start = end
        }
        if !page.isEmpty { body += "</reservationSet>" }
        if offset + page.count < selected.count {
            body += "<nextToken>" + AWSResponder.encodeToken(offset + page.count) + "</nextToken>"
        }
        return ProviderReply.xml(
            .ok, text: AWSInstanceXML.response("DescribeInstances", requestID: call.requestID, body))
    }

    /// Terminates every listed id, or none when one of them is malformed or unknown.
    func terminateInstances(_ call: Call) -> ProviderReply {
        let ids = AWSResponder.indexed("InstanceId", in: call.parameters)
        guard !ids.isEmpty else { return Self.missing("InstanceId", call) }
        if let malformed = ids.first(where: { !Self.isInstanceID($0) }) {
            return call.error("InvalidInstanceID.Malformed", "Invalid id: \"\(malformed)\"")
        }
        let listed = Set(instances.instances(.aws, at: call.time).filter { $0.region == call.region }.map(\.id))
        if let unknown = ids.first(where: { !listed.contains($0) }) {
            return call.error("InvalidInstanceID.NotFound", "The instance ID '\(unknown)' does not exist")
        }
        var body = "<instancesSet>"
        for id in ids {
            guard let change = instances.terminate(.aws, id: id, at: call.time) else { continue }
            body += "<item><instanceId>" + id + "</instanceId>"
            body += AWSInstanceXML.stateXML("currentState", change.instance.phase(at: call.time))
            body += AWSInstanceXML.stateXML("previousState", change.before) + "</item>"
        }
        body += "</instancesSet>"
        return ProviderReply.xml(
            .ok, text: AWSInstanceXML.response("TerminateInstances", requestID: call.requestID, body))
    }

    // MARK: - Helpers

    /// The simulated account.
    static let ownerID = "123456789012"

    private static func reservation(_ made: [SimulatedInstance], requestID: String, at time: Double) -> ProviderReply {
        var body = "<reservationId>" + (made.first?.reservation ?? "") + "</reservationId><ownerId>" + ownerID
        body += "</ownerId><groupSet/><instancesSet>"
        for (index, instance) in made.enumerated() {
            body += AWSInstanceXML.item(instance, launchIndex: index, at: time)
        }
        body += "</instancesSet>"
        return ProviderReply.xml(.ok, text: AWSInstanceXML.response("RunInstances", requestID: requestID, body))
    }

    private static func missing(_ name: String, _ call: Call) -> ProviderReply {
        call.error("MissingParameter", "The request must contain the parameter \(name)")
    }

    /// `i-` and 8 or 17 hex digits.
    static func isInstanceID(_ id: String) -> Bool {
        guard id.hasPrefix("i-") else { return false }
        let digits = id.dropFirst(2)
        return (digits.count == 8 || digits.count == 17) && digits.allSatisfy(\.isHexDigit)
    }

    /// The tags of `TagSpecification.N` with `ResourceType=instance`, in order.
    static func instanceTags(_ parameters: Parameters) -> [(key: String, value: String)] {
        var tags: [(key: String, value: String)] = []
        var specification = 1
        while let type = AWSResponder.value("TagSpecification.\(specification).ResourceType", in: parameters) {
            let prefix = "TagSpecification.\(specification).Tag"
            if type == "instance" {
                var index = 1
                while let key = AWSResponder.value("\(prefix).\(index).Key", in: parameters) {
                    tags.append((key: key, value: AWSResponder.value("\(prefix).\(index).Value", in: parameters) ?? ""))
                    index += 1
                }
            }
            specification += 1
        }
        return tags
    }

    private static func matches(_ instance: SimulatedInstance, filter: String, values: [String], at time: Double)
        -> Bool
    {
        let candidates: [String]
        switch filter {
        case "tag-key": candidates = instance.tags.map(\.key)
        case "instance-state-name": candidates = [AWSInstanceXML.state(instance.phase(at: time)).name]
        case "instance-id": candidates = [instance.id]
        case "instance-type": candidates = [instance.type]
        case "availability-zone": candidates = [instance.zone]
        default:
            let key = String(filter.dropFirst("tag:".count))
            candidates = instance.tags.filter { $0.key == key }.map(\.value)
        }
        return candidates.contains { candidate in values.contains { AWSResponder.glob($0, candidate) } }
    }
}
