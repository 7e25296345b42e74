import Hummingbird

/// Vast.ai's instance API: `PUT /api/v0/asks/{id}/` rents the ask's machine,
/// `GET /api/v0/instances/` lists the account's instances, `DELETE /api/v0/instances/{id}/`
/// destroys one. An ask is one machine: once rented it leaves the search until destroyed.
struct VastInstances: Sendable {
    let market: VastMarket
    let instances: InstanceRegistry
    /// Ask id → index into the market's offers.
    private let asks: [Int: Int]

    init(market: VastMarket, instances: InstanceRegistry) {
        self.market = market
        self.instances = instances
        asks = Dictionary(
            market.offers.enumerated().map { ($1.askContractID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func create(askID text: String?, _ request: ProviderRequest, at time: Double) -> ProviderReply {
        guard request.hasAPIKey(queryName: "api_key") else { return Self.unauthorized }
        guard let body = request.jsonObject else {
            return VastResponder.error(.badRequest, "invalid_args", "The request body is not a JSON object.")
        }
        guard let image = body["image"]?.stringValue, !image.isEmpty else {
            return VastResponder.error(.badRequest, "invalid_args", "image is required.")
        }
        let bid = body["price"]?.numberValue
        let refusal = VastResponder.error(
            .notFound, "no_such_ask", "Instance type by id \(text ?? "") is not available.")
        guard let askID = text.flatMap({ Int($0) }), let index = asks[askID], !request.refusesLaunches else {
            return refusal
        }
        let offer = market.offers[index]
        let capacity = market.isListed(offer, at: time) ? 1 : 0
        let pricing = market.pricing(of: offer, at: time)
        let outcome = instances.launch(
            .vast,
            candidates: [
                .init(
                    pool: VastMarket.pool(askID: askID), capacity: capacity,
                    spotZone: bid == nil ? nil : VastMarket.spotZone(offer))
            ], units: 1, count: 1, at: time
        ) { _ in
            var instance = SimulatedInstance(
                name: body["label"]?.stringValue ?? "", offer: bid == nil ? String(askID) : "\(askID):spot",
                type: VastGPU.table[offer.gpu].name, region: VastGeography.locations[offer.location].name,
                image: image, spot: bid != nil, pricePerHour: bid ?? pricing.dphTotal)
            instance.environment = (body["env"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            if case .array(let args) = body["args"] {
                instance.boot = .command(args.compactMap(\.stringValue))
            } else if let onstart = body["onstart"]?.stringValue {
                instance.boot = .command(["sh", "-c", onstart])
            }
            let gpu = VastGPU.table[offer.gpu]
            instance.setGPU(named: gpu.name, memoryGB: gpu.memoryMB / 1_024, count: offer.numGPUs)
            return instance
        }
        guard case .launched(let made) = outcome, let instance = made.first else { return refusal }
        var json = JSONWriter()
        json.raw("{\"success\":true,\"new_contract\":")
        json.int(Int(instance.id) ?? 0)
        json.raw("}")
        return ProviderReply.json(.ok, json)
    }

    func list(_ request: ProviderRequest, at time: Double) -> ProviderReply {
        guard request.hasAPIKey(queryName: "api_key") else { return Self.unauthorized }
        var json = JSONWriter()
        json.raw("{\"instances\":[")
        var first = true
        for instance in instances.instances(.vast, at: time) {
            json.separator(&first)
            write(instance, at: time, to: &json)
        }
        json.raw("]}")
        return ProviderReply.json(.ok, json)
    }

    func destroy(id: String?, _ request: ProviderRequest, at time: Double) -> ProviderReply {
        guard request.hasAPIKey(queryName: "api_key") else { return Self.unauthorized }
        guard let id, instances.terminate(.vast, id: id, at: time) != nil else {
            return VastResponder.error(.notFound, "no_such_instance", "Instance \(id ?? "") not found.")
        }
        return ProviderReply.json(.ok, text: "{\"success\":true}")
    }

    private func write(_ instance: SimulatedInstance, at time: Double, to json: inout JSONWriter) {
        let running = instance.phase(at: time) == .running
        json.raw("{\"id\":")
        json.int(Int(instance.id) ?? 0)
        json.raw(",\"label\":")
        json.string(instance.name)
        json.raw(",\"actual_status\":")
        if running { json.string("running") } else { json.string("loading") }
        json.raw(
            ",\"intended_status\":\"running\",\"cur_state\":\"running\",\"next_state\":\"running\",\"image_uuid\":")
        json.string(instance.image)
        json.raw(",\"gpu_name\":")
        json.string(instance.type)
        json.raw(",\"geolocation\":")
        json.string(instance.region)
        json.raw(",\"is_bid\":")
        json.bool(instance.spot)
        json.raw(",\"dph_total\":")
        json.decimal(instance.pricePerHour)
        json.raw(",\"start_date\":")
        json.decimal(instance.createdAt, fractionDigits: 3)
        json.raw(",\"status_msg\":")
        json.string(running ? "Container running." : "Pulling image and starting container.")
        json.raw("}")
    }

    static let unauthorized = VastResponder.error(
        .unauthorized, "not_authorized", "An API key is required (Authorization: Bearer <key>).")
}
