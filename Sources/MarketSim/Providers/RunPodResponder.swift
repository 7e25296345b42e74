import Hummingbird

/// RunPod's GraphQL endpoint, `POST /graphql?api_key=…`, for the `gpuTypes` pricing query and the
/// pod operations (``RunPodPods``), which need the API key.
///
/// The answer has exactly the fields the query selects (under their aliases), as a GraphQL server
/// would; fields the simulator does not know are null. Other operations get RunPod's error shape,
/// `{"errors": [{"message": …}]}`, with HTTP 200.
struct RunPodResponder: Sendable {
    let market: RunPodMarket
    let instances: InstanceRegistry
    let pods: RunPodPods

    init(market: RunPodMarket, instances: InstanceRegistry) {
        self.market = market
        self.instances = instances
        pods = RunPodPods(market: market, instances: instances)
    }

    /// The fields of `gpuTypes` answered when the query selects none.
    private static let defaultFields = [
        "id", "displayName", "memoryInGb", "secureCloud", "communityCloud", "securePrice", "communityPrice",
        "secureSpotPrice", "communitySpotPrice", "maxGpuCount",
    ]

    func graphql(_ request: ProviderRequest, at time: Double) -> ProviderReply {
        var document: String?
        var variables: [String: LooseJSON] = [:]
        if !request.body.isEmpty {
            if let json = LooseJSON.parse(request.body), let object = json.objectValue {
                document = object["query"]?.stringValue
                variables = object["variables"]?.objectValue ?? [:]
            } else {
                // `Content-Type: application/graphql`: the body is the document itself.
                document = String(decoding: request.body, as: UTF8.self)
            }
        } else {
            document = request.queryValue("query")
            if let text = request.queryValue("variables"), let json = LooseJSON.parse(text) {
                variables = json.objectValue ?? [:]
            }
        }
        guard let document else {
            return Self.errors("Must provide query string.")
        }
        let operation: (operation: String, fields: [GraphQLField])
        do {
            operation = try GraphQLSelectionParser.parseOperation(document)
        } catch {
            return Self.errors(error.message)
        }
        let fields = operation.fields
        let isMutation = operation.operation == "mutation"
        let queries = ["gpuTypes", "myself", "__typename"]
        if !isMutation, let unknown = fields.first(where: { !queries.contains($0.name) }) {
            return Self.errors("Cannot query field \"\(unknown.name)\" on type \"Query\".")
        }
        if (isMutation || fields.contains { $0.name == "myself" }) && !request.hasAPIKey(queryName: "api_key") {
            return Self.errors("Unauthorized: an API key is required.", status: .unauthorized)
        }
        let inUse = instances.unitsInUse(.runpod, at: time)
        var json = JSONWriter(capacity: 8_192)
        json.raw("{\"data\":{")
        var first = true
        for field in fields {
            json.separator(&first)
            json.string(field.responseKey)
            json.raw(":")
            if field.name == "__typename" {
                json.string(isMutation ? "Mutation" : "Query")
            } else if isMutation {
                if let problem = pods.mutate(
                    field, variables: variables, refusesLaunches: request.refusesLaunches, at: time, to: &json)
                {
                    return Self.errors(problem)
                }
            } else if field.name == "myself" {
                pods.writeMyself(field, at: time, to: &json)
            } else {
                writeGPUTypes(field, variables: variables, inUse: inUse, at: time, to: &json)
            }
        }
        json.raw("}}")
        return ProviderReply.json(.ok, json)
    }

    private func writeGPUTypes(
        _ field: GraphQLField, variables: [String: LooseJSON], inUse: [String: Int], at time: Double,
        to json: inout JSONWriter
    ) {
        let input = field.arguments["input"]?.resolved(variables)
        var wantedIDs: [String]?
        if case .object(let members) = input {
            if let id = members["id"]?.stringValue { wantedIDs = [id] }
            if case .list(let ids) = members["ids"] { wantedIDs = ids.compactMap(\.stringValue) }
        }
        json.raw("[")
        var firstType = true
        for type in market.types where wantedIDs?.contains(type.id) ?? true {
            json.separator(&firstType)
            let quote = market.quote(type, at: time, gpusInUse: inUse[RunPodMarket.pool(type), default: 0])
            json.raw("{")
            var first = true
            if field.selections.isEmpty {
                for name in Self.defaultFields {
                    json.separator(&first)
                    json.string(name)
                    json.raw(":")
                    writeField(
                        GraphQLField(alias: nil, name: name, arguments: [:], selections: []), type, quote,
                        variables: variables, at: time, to: &json)
                }
            } else {
                for selection in field.selections {
                    json.separator(&first)
                    json.string(selection.responseKey)
                    json.raw(":")
                    writeField(selection, type, quote, variables: variables, at: time, to: &json)
                }
            }
            json.raw("}")
        }
        json.raw("]")
    }

    private func writeField(
        _ field: GraphQLField, _ type: RunPodGPUType, _ quote: RunPodMarket.Quote, variables: [String: LooseJSON],
        at time: Double, to json: inout JSONWriter
    ) {
        switch field.name {
        case "__typename": json.string("GpuType")
        case "id": json.string(type.id)
        case "displayName": json.string(type.displayName)
        case "memoryInGb": json.int(type.memoryInGb)
        case "manufacturer": json.string(type.id.hasPrefix("AMD") ? "AMD" : "Nvidia")
        case "secureCloud": json.bool(quote.securePrice != nil)
        case "communityCloud": json.bool(quote.communityPrice != nil)
        case "securePrice": json.decimal(quote.securePrice, fractionDigits: 2)
        case "communityPrice": json.decimal(quote.communityPrice, fractionDigits: 2)
        case "secureSpotPrice": json.decimal(quote.secureSpotPrice, fractionDigits: 2)
        case "communitySpotPrice": json.decimal(quote.communitySpotPrice, fractionDigits: 2)
        case "oneMonthPrice", "threeMonthPrice", "sixMonthPrice":
            json.decimal(quote.securePrice.map { $0 * 0.9 }, fractionDigits: 2)
        case "maxGpuCount": json.int(type.maxGpuCount)
        case "maxGpuCountSecureCloud": json.int(quote.securePrice == nil ? 0 : type.maxGpuCount)
        case "maxGpuCountCommunityCloud": json.int(quote.communityPrice == nil ? 0 : type.maxGpuCount)
        case "lowestPrice": writeLowestPrice(field, type, quote, variables: variables, to: &json)
        default: json.null()
        }
    }

    /// `lowestPrice(input: {gpuCount: N, secureCloud: …})`: per-GPU prices for a pod of N GPUs,
    /// null when that many are not available now.
    private func writeLowestPrice(
        _ field: GraphQLField, _ type: RunPodGPUType, _ quote: RunPodMarket.Quote, variables: [String: LooseJSON],
        to json: inout JSONWriter
    ) {
        var gpuCount = 1
        var secureCloud: Bool?
        if case .object(let members) = field.arguments["input"]?.resolved(variables) {
            gpuCount = members["gpuCount"]?.intValue ?? 1
            secureCloud = members["secureCloud"]?.boolValue
        }
        let available = quote.stockStatus != nil && gpuCount <= quote.maxGpuCountAvailable && gpuCount > 0
        let onDemand: [Double?]
        let spot: [Double?]
        switch secureCloud {
        case true?:
            onDemand = [quote.securePrice]
            spot = [quote.secureSpotPrice]
        case false?:
            onDemand = [quote.communityPrice]
            spot = [quote.communitySpotPrice]
        case nil:
            onDemand = [quote.securePrice, quote.communityPrice]
            spot = [quote.secureSpotPrice, quote.communitySpotPrice]
        }
        let uninterruptable = available ? onDemand.compactMap { $0 }.min() : nil
        let minimumBid = available ? spot.compactMap { $0 }.min() : nil
        let selections =
            field.selections.isEmpty
            ? ["minimumBidPrice", "uninterruptablePrice", "stockStatus"].map {
                GraphQLField(alias: nil, name: $0, arguments: [:], selections: [])
            } : field.selections
        json.raw("{")
        var first = true
        for selection in selections {
            json.separator(&first)
            json.string(selection.responseKey)
            json.raw(":")
            switch selection.name {
            case "__typename": json.string("LowestPrice")
            case "minimumBidPrice": json.decimal(minimumBid, fractionDigits: 2)
            case "uninterruptablePrice": json.decimal(uninterruptable, fractionDigits: 2)
            case "stockStatus":
                if available, let stock = quote.stockStatus { json.string(stock) } else { json.null() }
            case "maxUnreservedGpuCount", "availableGpuCounts":
                if selection.name == "availableGpuCounts" {
                    json.raw("[")
                    var firstCount = true
                    for count in [1, 2, 4, 8] where count <= quote.maxGpuCountAvailable {
                        json.separator(&firstCount)
                        json.int(count)
                    }
                    json.raw("]")
                } else {
                    json.int(quote.maxGpuCountAvailable)
                }
            case "minVcpu": json.int(4 * gpuCount)
            case "minMemory": json.int(16 * gpuCount)
            case "gpuCount": json.int(gpuCount)
            default: json.null()
            }
        }
        json.raw("}")
    }

    /// RunPod's error answer: HTTP 200 with `{"errors": [{"message": …}]}`.
    static func errors(_ message: String, status: HTTPResponse.Status = .ok) -> ProviderReply {
        var json = JSONWriter()
        json.raw("{\"errors\":[{\"message\":")
        json.string(message)
        json.raw("}]}")
        return ProviderReply.json(status, json)
    }
}
