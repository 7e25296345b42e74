import Hummingbird

/// Vast.ai's instance API: `PUT /api/v0/asks/{id}/` rents the ask's machine,
/// `GET /api/v1/instances/` lists the account's instances a page at a time (as the vastai CLI and
/// SDK 1.9 ask; the older `GET /api/v0/instances/` lists them all), `DELETE /api/v0/instances/{id}/`
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

    /// `GET /api/v1/instances/?select_filters=<JSON>&order_by=<JSON>&limit=N&after_token=T`: rows in
    /// `order_by`'s order (by `id` or `start_date`), those `select_filters` keeps (`{"col": {"eq" |
    /// "neq" | "in" | "notin": value}}`), `limit` (1...1000, default 25) at a time after the row
    /// `after_token` names; `next_token` names the last row while more follow.
    func listPage(_ request: ProviderRequest, at time: Double) -> ProviderReply {
        guard request.hasAPIKey() else { return Self.unauthorized }
        let invalid = { (message: String) in VastResponder.error(.badRequest, "invalid_args", message) }
        guard let filters = Self.jsonParameter(request, "select_filters", default: .object([:]))?.objectValue else {
            return invalid("select_filters must be a JSON object of column conditions.")
        }
        guard case .array(let orders)? = Self.jsonParameter(request, "order_by", default: .array([])) else {
            return invalid("order_by must be a JSON list of {\"col\", \"dir\"} objects.")
        }
        guard let limit = Int(request.queryValue("limit") ?? "25"), (1...1000).contains(limit) else {
            return invalid("limit must be a whole number from 1 to 1000.")
        }
        let column = orders.first?["col"]?.stringValue ?? "id"
        guard column == "id" || column == "start_date" else { return invalid("order_by: cannot sort by \(column).") }
        let descending = orders.first?["dir"]?.stringValue == "desc"
        var rows = instances.instances(.vast, at: time).sorted { left, right in
            let (a, b) =
                column == "id" ? (Double(left.id) ?? 0, Double(right.id) ?? 0) : (left.createdAt, right.createdAt)
            return descending ? a > b : a < b
        }
        for (name, condition) in filters {
            guard let kept = Self.filter(rows, column: name, condition: condition, at: time) else {
                return invalid("select_filters: cannot filter \(name) by \(condition.stringValue ?? "that").")
            }
            rows = kept
        }
        let total = rows.count
        if let after = request.queryValue("after_token"), !after.isEmpty {
            guard let position = rows.firstIndex(where: { $0.id == after }) else {
                return invalid("after_token \(after) does not name a row of this listing.")
            }
            rows.removeFirst(position + 1)
        }
        let page = rows.prefix(limit)
        var json = JSONWriter()
        json.raw("{\"instances\":[")
        var first = true
        for instance in page {
            json.separator(&first)
            write(instance, at: time, to: &json)
        }
        json.raw("],\"total_instances\":")
        json.int(total)
        json.raw(",\"label_counts\":{")
        first = true
        for (label, count) in Dictionary(grouping: instances.instances(.vast, at: time), by: \.name)
            .mapValues(\.count).sorted(by: { $0.key < $1.key })
        {
            json.separator(&first)
            json.string(label)
            json.raw(":")
            json.int(count)
        }
        json.raw("},\"next_token\":")
        if rows.count > limit, let last = page.last { json.string(last.id) } else { json.null() }
        json.raw("}")
        return ProviderReply.json(.ok, json)
    }

    /// `GET /api/v0/instances/filters/`: the values the instance table can be filtered by.
    func listFilters(_ request: ProviderRequest, at time: Double) -> ProviderReply {
        guard request.hasAPIKey() else { return Self.unauthorized }
        let rows = instances.instances(.vast, at: time)
        var json = JSONWriter()
        json.raw("{\"filters\":[")
        var first = true
        for status in Set(rows.map { $0.phase(at: time) == .running ? "running" : "loading" }).sorted() {
            json.separator(&first)
            json.raw("{\"actual_status\":")
            json.string(status)
            json.raw("}")
        }
        for gpu in Set(rows.map(\.type)).sorted() {
            json.separator(&first)
            json.raw("{\"gpu_name\":")
            json.string(gpu)
            json.raw("}")
        }
        json.raw("]}")
        return ProviderReply.json(.ok, json)
    }

    /// `GET /api/v0/gpu_names/unique/` (no key needed): every GPU name the market sells.
    func gpuNames(_ request: ProviderRequest, at time: Double) -> ProviderReply {
        var json = JSONWriter()
        json.raw("{\"gpu_names\":[")
        var first = true
        for name in Set(market.offers.map { VastGPU.table[$0.gpu].name }).sorted() {
            json.separator(&first)
            json.string(name)
        }
        json.raw("]}")
        return ProviderReply.json(.ok, json)
    }

    /// `GET /api/v0/users/current`: the account, as the vastai CLI's role check reads it.
    func currentUser(_ request: ProviderRequest, at time: Double) -> ProviderReply {
        guard request.hasAPIKey(queryName: "api_key") else { return Self.unauthorized }
        return ProviderReply.json(
            .ok, text: #"{"id":1,"username":"simulated","email":"sim@example.invalid","host_agreement_accepted":false}"#
        )
    }

    /// A query parameter holding JSON, `fallback` when absent; nil when it is not JSON.
    private static func jsonParameter(_ request: ProviderRequest, _ name: String, default fallback: LooseJSON)
        -> LooseJSON?
    {
        guard let text = request.queryValue(name) else { return fallback }
        return LooseJSON.parse(text)
    }

    /// The rows whose `column` meets `condition`, or nil when the column or operator is not one
    /// the simulator filters on (`id`, `label`, `actual_status`, `gpu_name`, `is_bid`).
    private static func filter(
        _ rows: [SimulatedInstance], column: String, condition: LooseJSON, at time: Double
    ) -> [SimulatedInstance]? {
        let value: (SimulatedInstance) -> String
        switch column {
        case "id": value = { $0.id }
        case "label": value = { $0.name }
        case "actual_status": value = { $0.phase(at: time) == .running ? "running" : "loading" }
        case "gpu_name": value = { $0.type }
        case "is_bid": value = { $0.spot ? "true" : "false" }
        default: return nil
        }
        guard let operators = condition.objectValue, !operators.isEmpty else { return nil }
        var rows = rows
        for (name, operand) in operators {
            let list: [String]
            if case .array(let items) = operand { list = items.compactMap(\.stringValue) } else { list = [] }
            switch (name, operand.stringValue) {
            case ("eq", let wanted?): rows = rows.filter { value($0) == wanted }
            case ("neq", let unwanted?): rows = rows.filter { value($0) != unwanted }
            case ("in", _): rows = rows.filter { list.contains(value($0)) }
            case ("notin", _): rows = rows.filter { !list.contains(value($0)) }
            default: return nil
            }
        }
        return rows
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
        json.raw(",\"num_gpus\":")
        json.int(instance.gpus)
        json.raw(",\"extra_env\":[")
        var first = true
        for (name, value) in instance.environment.sorted(by: { $0.key < $1.key }) {
            json.separator(&first)
            json.raw("[")
            json.string(name)
            json.raw(",")
            json.string(value)
            json.raw("]")
        }
        json.raw("]")
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
