import Hummingbird

/// Shadeform's `GET /v1/instances/types`: every cloud's instance types with configuration, price in
/// cents per hour and availability per region. Requires an `X-API-KEY` header. Honours the
/// `cloud`, `region`, `gpu_type`, `num_gpus`, `shade_instance_type` and `available` query filters
/// and `sort=price`.
struct ShadeformResponder: Sendable {
    let market: ShadeformMarket
    let instances: InstanceRegistry

    func instanceTypes(_ request: ProviderRequest, at time: Double) -> ProviderReply {
        guard Self.hasKey(request) else { return Self.unauthorized }
        let cloud = request.queryValue("cloud")?.lowercased()
        let region = request.queryValue("region")
        let gpuType = request.queryValue("gpu_type")?.lowercased()
        let numGPUs = request.queryValue("num_gpus").flatMap { Int($0) }
        let shadeType = request.queryValue("shade_instance_type")?.lowercased()
        let onlyAvailable = request.queryValue("available")?.lowercased() == "true"

        let inUse = instances.unitsInUse(.shadeform, at: time)
        var rows: [(type: ShadeformInstanceType, price: Int, availability: [(region: Int, available: Bool)])] = []
        for type in market.types {
            let cloudInfo = ShadeformMarket.clouds[type.cloud]
            if let cloud, cloudInfo.name != cloud { continue }
            if let gpuType, ShadeformMarket.gpus[type.gpu].type.lowercased() != gpuType { continue }
            if let numGPUs, type.numGPUs != numGPUs { continue }
            if let shadeType, type.shadeInstanceType.lowercased() != shadeType { continue }
            var availability = type.regions.map { ($0, market.isAvailable(type, region: $0, at: time, inUse: inUse)) }
            if let region {
                availability = availability.filter { cloudInfo.regions[$0.0].0 == region }
                if availability.isEmpty { continue }
            }
            if onlyAvailable {
                availability = availability.filter(\.1)
                if availability.isEmpty { continue }
            }
            rows.append((type, market.priceCents(type, at: time), availability))
        }
        if request.queryValue("sort")?.lowercased() == "price" {
            rows.sort { $0.price < $1.price }
        }

        var json = JSONWriter(capacity: 256 + rows.count * 700)
        json.raw("{\"instance_types\":[")
        var first = true
        for row in rows {
            json.separator(&first)
            write(row.type, price: row.price, availability: row.availability, to: &json)
        }
        json.raw("]}")
        return ProviderReply.json(.ok, json)
    }

    private func write(
        _ type: ShadeformInstanceType, price: Int, availability: [(region: Int, available: Bool)],
        to json: inout JSONWriter
    ) {
        let cloud = ShadeformMarket.clouds[type.cloud]
        let gpu = ShadeformMarket.gpus[type.gpu]
        json.raw("{\"cloud\":")
        json.string(cloud.name)
        json.raw(",\"shade_instance_type\":")
        json.string(type.shadeInstanceType)
        json.raw(",\"cloud_instance_type\":")
        json.string(type.cloudInstanceType)
        json.raw(",\"configuration\":{\"memory_in_gb\":")
        json.int(type.memoryGB)
        json.raw(",\"storage_in_gb\":")
        json.int(type.storageGB)
        json.raw(",\"vcpus\":")
        json.int(type.vcpus)
        json.raw(",\"num_gpus\":")
        json.int(type.numGPUs)
        json.raw(",\"gpu_type\":")
        json.string(gpu.type)
        json.raw(",\"interconnect\":")
        json.string(gpu.sxm ?? "pcie")
        json.raw(",\"nvlink\":")
        json.bool(gpu.sxm != nil && type.numGPUs > 1)
        json.raw(",\"vram_per_gpu_in_gb\":")
        json.int(gpu.memoryGB)
        json.raw(",\"gpu_manufacturer\":\"nvidia\",\"os_options\":[")
        var firstOS = true
        for option in ShadeformMarket.osOptions {
            json.separator(&firstOS)
            json.string(option)
        }
        json.raw("]},\"hourly_price\":")
        json.int(price)
        json.raw(",\"deployment_type\":\"vm\",\"availability\":[")
        var firstRegion = true
        for entry in availability {
            json.separator(&firstRegion)
            json.raw("{\"region\":")
            json.string(cloud.regions[entry.region].0)
            json.raw(",\"available\":")
            json.bool(entry.available)
            json.raw(",\"display_name\":")
            json.string(cloud.regions[entry.region].1)
            json.raw("}")
        }
        json.raw("],\"boot_time\":{\"min_boot_in_sec\":120,\"max_boot_in_sec\":600}}")
    }

    static func hasKey(_ request: ProviderRequest) -> Bool {
        request.header("x-api-key")?.isEmpty == false
    }

    /// The one error Shadeform documents (docs.shadeform.ai, Authentication), word for word.
    static let unauthorized = error(.unauthorized, "Invalid API key")

    /// Shadeform's error body, `{"message": …}`: the shape of the one error it documents. The other
    /// statuses the simulator answers with (400, 404, 409) are not documented; their shape follows it.
    static func error(_ status: HTTPResponse.Status, _ message: String) -> ProviderReply {
        var json = JSONWriter()
        json.raw("{\"message\":")
        json.string(message)
        json.raw("}")
        return ProviderReply.json(status, json)
    }
}
