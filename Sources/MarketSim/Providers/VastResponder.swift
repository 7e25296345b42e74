import Hummingbird

/// Vast.ai's offer search, `POST /api/v0/bundles/` (and `GET ?q=`, and `PUT /search/asks/`):
/// `{"offers": [...]}` with Vast's field names, filtered, ordered and limited as the query asks.
struct VastResponder: Sendable {
    let market: VastMarket
    let instances: InstanceRegistry

    func search(_ request: ProviderRequest, at time: Double) -> ProviderReply {
        let query: VastQuery
        if !request.body.isEmpty {
            guard let json = LooseJSON.parse(request.body) else {
                return Self.error(.badRequest, "invalid_args", "The request body is not valid JSON.")
            }
            query = VastQuery(json: json)
        } else if let text = request.queryValue("q") {
            guard let json = LooseJSON.parse(text) else {
                return Self.error(.badRequest, "invalid_args", "The q parameter is not valid JSON.")
            }
            query = VastQuery(json: json)
        } else {
            query = VastQuery()
        }
        return ProviderReply.json(.ok, answer(query, at: time))
    }

    /// The matching offers, written as Vast's answer.
    func answer(_ query: VastQuery, at time: Double) -> JSONWriter {
        var selected: [(key: Double, index: Int, pricing: VastMarket.Pricing)] = []
        selected.reserveCapacity(market.offers.count)
        let primary = query.order.first ?? (query.interruptible ? (.minBid, true) : (.dphTotal, true))
        let rented = instances.unitsInUse(.vast, at: time)
        for (index, offer) in market.offers.enumerated() where market.isListed(offer, at: time) {
            // A rented machine is not listed until it is given back.
            if !rented.isEmpty && rented[VastMarket.pool(askID: offer.askContractID)] != nil { continue }
            let pricing = market.pricing(of: offer, at: time)
            guard query.matches(offer, pricing) else { continue }
            let key = primary.field.sortKey(of: offer, pricing)
            selected.append((primary.ascending ? key : -key, index, pricing))
        }
        let secondary = query.order.dropFirst()
        selected.sort { lhs, rhs in
            if lhs.key != rhs.key { return lhs.key < rhs.key }
            for (field, ascending) in secondary {
                let left = field.sortKey(of: market.offers[lhs.index], lhs.pricing)
                let right = field.sortKey(of: market.offers[rhs.index], rhs.pricing)
                if left != right { return ascending ? left < right : left > right }
            }
            return market.offers[lhs.index].id < market.offers[rhs.index].id
        }
        let count = min(selected.count, query.limit ?? selected.count)
        var json = JSONWriter(capacity: 64 + count * 1_100)
        json.raw("{\"offers\":[")
        for position in 0..<count {
            if position > 0 { json.raw(",") }
            let entry = selected[position]
            VastRecord.write(market.offers[entry.index], entry.pricing, to: &json)
        }
        json.raw("]}")
        return json
    }

    /// Vast's error body: `{"success": false, "error": ..., "msg": ...}`.
    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> ProviderReply {
        var json = JSONWriter()
        json.raw("{\"success\":false,\"error\":")
        json.string(code)
        json.raw(",\"msg\":")
        json.string(message)
        json.raw("}")
        return ProviderReply.json(status, json)
    }
}
