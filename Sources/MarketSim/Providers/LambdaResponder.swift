import Hummingbird

/// Lambda Cloud's `GET /api/v1/instance-types`: every instance type keyed by name, with the
/// regions that have capacity now (an empty list when sold out). Requires an API key, as
/// `Authorization: Bearer <key>` or HTTP basic with the key as user name.
struct LambdaResponder: Sendable {
    let market: LambdaMarket
    let instances: InstanceRegistry

    func instanceTypes(_ request: ProviderRequest, at time: Double) -> ProviderReply {
        guard request.hasAPIKey() else { return Self.unauthorized }
        let inUse = instances.unitsInUse(.lambda, at: time)
        var json = JSONWriter(capacity: 16_384)
        json.raw("{\"data\":{")
        var firstType = true
        for type in market.types {
            json.separator(&firstType)
            json.string(type.name)
            json.raw(":{\"instance_type\":{\"name\":")
            json.string(type.name)
            json.raw(",\"description\":")
            json.string(type.description)
            json.raw(",\"gpu_description\":")
            json.string(type.gpuDescription)
            json.raw(",\"price_cents_per_hour\":")
            json.int(market.priceCents(type, at: time))
            json.raw(",\"specs\":{\"vcpus\":")
            json.int(type.vcpus)
            json.raw(",\"memory_gib\":")
            json.int(type.memoryGiB)
            json.raw(",\"storage_gib\":")
            json.int(type.storageGiB)
            json.raw(",\"gpus\":")
            json.int(type.gpus)
            json.raw("}},\"regions_with_capacity_available\":[")
            var firstRegion = true
            for region in market.regionsWithCapacity(type, at: time, inUse: inUse) {
                json.separator(&firstRegion)
                json.raw("{\"name\":")
                json.string(LambdaMarket.regions[region].name)
                json.raw(",\"description\":")
                json.string(LambdaMarket.regions[region].description)
                json.raw("}")
            }
            json.raw("]}")
        }
        json.raw("}}")
        return ProviderReply.json(.ok, json)
    }

    static let unauthorized = error(
        .unauthorized, "global/invalid-api-key", "API key was invalid, expired, or deleted.",
        suggestion: "Check your API key or create a new one, then try again.")

    /// Lambda's error body: `{"error": {"code", "message", "suggestion"?}}`.
    static func error(
        _ status: HTTPResponse.Status, _ code: String, _ message: String, suggestion: String? = nil
    ) -> ProviderReply {
        var json = JSONWriter()
        json.raw("{\"error\":{\"code\":")
        json.string(code)
        json.raw(",\"message\":")
        json.string(message)
        if let suggestion {
            json.raw(",\"suggestion\":")
            json.string(suggestion)
        }
        json.raw("}}")
        return ProviderReply.json(status, json)
    }
}
