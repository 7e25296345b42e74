import Hummingbird

/// RunPod's pod operations on the GraphQL endpoint: the mutations `podFindAndDeployOnDemand`,
/// `podRentInterruptable` and `podTerminate`, and the query `myself { pods { … } }`. A GPU type's
/// stock is the GPUs its pricing shows available now; pods hold theirs until terminated.
struct RunPodPods: Sendable {
    let market: RunPodMarket
    let instances: InstanceRegistry

    /// RunPod's answer when the stock cannot cover a deploy.
    static let noInstances =
        "There are no longer any instances available with the requested specifications. Please refresh and try again."

    /// Fields of a pod answered when a selection names none.
    private static let defaultPodFields = ["id", "name", "desiredStatus"]

    /// Runs one mutation field; returns the error message when it fails.
    func mutate(
        _ field: GraphQLField, variables: [String: LooseJSON], refusesLaunches: Bool, at time: Double,
        to json: inout JSONWriter
    ) -> String? {
        let input = field.arguments["input"]?.resolved(variables)
        switch field.name {
        case "podFindAndDeployOnDemand", "podRentInterruptable":
            guard case .object = input else {
                return "Field \"\(field.name)\" argument \"input\" is required, but it was not provided."
            }
            let spot = field.name == "podRentInterruptable"
            switch deploy(input ?? .null, spot: spot, refusesLaunches: refusesLaunches, at: time) {
            case .success(let pod): writePod(pod, selections: field.selections, at: time, to: &json)
            case .failure(let problem): return problem.message
            }
        case "podTerminate":
            guard let podID = input?["podId"]?.textValue else {
                return "Field \"podTerminate\" argument \"input\" must have a podId."
            }
            guard instances.terminate(.runpod, id: podID, at: time) != nil else { return "pod not found: \(podID)" }
            json.null()
        default:
            return "Cannot query field \"\(field.name)\" on type \"Mutation\"."
        }
        return nil
    }

    /// The `myself` query: the account, with its pods.
    func writeMyself(_ field: GraphQLField, at time: Double, to json: inout JSONWriter) {
        json.raw("{")
        var first = true
        for selection in field.selections {
            json.separator(&first)
            json.string(selection.responseKey)
            json.raw(":")
            switch selection.name {
            case "__typename": json.string("User")
            case "id": json.string("user_sim")
            case "pods":
                json.raw("[")
                var firstPod = true
                for pod in instances.instances(.runpod, at: time) {
                    json.separator(&firstPod)
                    writePod(pod, selections: selection.selections, at: time, to: &json)
                }
                json.raw("]")
            default: json.null()
            }
        }
        json.raw("}")
    }

    private struct Refusal: Error {
        var message: String
    }

    private func deploy(
        _ input: GraphQLValue, spot: Bool, refusesLaunches: Bool, at time: Double
    ) -> Result<SimulatedInstance, Refusal> {
        guard let typeID = input["gpuTypeId"]?.textValue else {
            return .failure(Refusal(message: "gpuTypeId is required."))
        }
        let gpuCount = input["gpuCount"].map { $0.intValue ?? 0 } ?? 1
        guard gpuCount > 0 else { return .failure(Refusal(message: "gpuCount must be a positive integer.")) }
        let bid = input["bidPerGpu"]?.doubleValue
        if spot && bid == nil { return .failure(Refusal(message: "bidPerGpu is required.")) }
        let refusal = Refusal(message: Self.noInstances)
        guard let type = market.types.first(where: { $0.id == typeID }), gpuCount <= type.maxGpuCount else {
            return .failure(refusal)
        }
        let quote = market.quote(type, at: time)
        let prices =
            spot
            ? [("secure", "SECURE", quote.secureSpotPrice), ("community", "COMMUNITY", quote.communitySpotPrice)]
            : [("secure", "SECURE", quote.securePrice), ("community", "COMMUNITY", quote.communityPrice)]
        let wanted = input["cloudType"]?.textValue?.uppercased() ?? "ALL"
        guard let choice = prices.first(where: { ($0.1 == wanted || wanted == "ALL") && $0.2 != nil }),
            let perGPU = choice.2
        else { return .failure(refusal) }
        let (cloud, cloudType) = (choice.0, choice.1)
        let capacity = refusesLaunches ? 0 : quote.maxGpuCountAvailable
        let outcome = instances.launch(
            .runpod,
            candidates: [
                .init(
                    pool: RunPodMarket.pool(type), capacity: capacity,
                    spotZone: spot ? RunPodMarket.spotZone(type) : nil)
            ], units: gpuCount, count: 1, at: time
        ) { _ in
            var pod = SimulatedInstance(
                name: input["name"]?.textValue ?? "", offer: "\(type.id):\(cloud):\(gpuCount)\(spot ? ":spot" : "")",
                type: type.id, region: cloud, cloud: cloudType, image: input["imageName"]?.textValue ?? "",
                spot: spot, pricePerHour: (bid ?? perGPU) * Double(gpuCount))
            pod.environment = Self.environment(input["env"])
            if let arguments = input["dockerArgs"]?.textValue, !arguments.isEmpty {
                pod.boot = .command(BootScript.shellWords(arguments))
            }
            pod.setGPU(named: type.id, memoryGB: type.memoryInGb, count: gpuCount)
            return pod
        }
        guard case .launched(let made) = outcome, let pod = made.first else { return .failure(refusal) }
        return .success(pod)
    }

    /// The pod's `env: [{key: "NAME", value: "value"}, …]`.
    private static func environment(_ env: GraphQLValue?) -> [String: String] {
        guard case .list(let items) = env else { return [:] }
        var environment: [String: String] = [:]
        for item in items {
            guard let key = item["key"]?.stringValue, let value = item["value"]?.stringValue else { continue }
            environment[key] = value
        }
        return environment
    }

    private func writePod(
        _ pod: SimulatedInstance, selections: [GraphQLField], at time: Double, to json: inout JSONWriter
    ) {
        let fields =
            selections.isEmpty
            ? Self.defaultPodFields.map { GraphQLField(alias: nil, name: $0, arguments: [:], selections: []) }
            : selections
        let phase = pod.phase(at: time)
        json.raw("{")
        var first = true
        for field in fields {
            json.separator(&first)
            json.string(field.responseKey)
            json.raw(":")
            switch field.name {
            case "__typename": json.string("Pod")
            case "id": json.string(pod.id)
            case "name": json.string(pod.name)
            case "desiredStatus":
                json.string(phase == .terminated ? "TERMINATED" : phase == .stopping ? "EXITED" : "RUNNING")
            case "imageName": json.string(pod.image)
            case "gpuCount": json.int(pod.units)
            case "costPerHr": json.decimal(pod.pricePerHour, fractionDigits: 3)
            case "podType": json.string(pod.spot ? "INTERRUPTABLE" : "RESERVED")
            case "machineId": json.string(InstanceIDs.hex(SplitMix64.key("machine/" + pod.id), 12))
            case "runtime": writeRuntime(pod, field.selections, uptime: pod.uptime(at: time), to: &json)
            default: json.null()
            }
        }
        json.raw("}")
    }

    /// `runtime` is null until the container runs.
    private func writeRuntime(
        _ pod: SimulatedInstance, _ selections: [GraphQLField], uptime: Int?, to json: inout JSONWriter
    ) {
        guard let uptime else { return json.null() }
        json.raw("{")
        var first = true
        for selection in selections {
            json.separator(&first)
            json.string(selection.responseKey)
            json.raw(":")
            switch selection.name {
            case "uptimeInSeconds": json.int(uptime)
            case "ports", "gpus": json.raw("[]")
            default: json.null()
            }
        }
        json.raw("}")
    }
}
