import BrokerCore

/// `POST /v1/quotes`' answer (``QuoteResponse``), written from the planner's ``Quote``.
struct QuoteJSON: JSONWritable {
    var quote: Quote

    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("placements")
        writer.array(quote.placements) { writer, placement in
            writer.beginObject()
            writer.key("market")
            writer.string(placement.market.rawValue)
            writer.key("gpu")
            writer.string(placement.gpu.name)
            writer.key("price_per_hour")
            writer.dollars(placement.pricePerHour)
            writer.key("estimated_hours")  // null without `work`
            writer.optional(placement.estimatedHours) { $0.double(($1 * 100).rounded() / 100) }
            writer.key("estimated_cost")
            writer.optional(placement.estimatedCost) { $0.dollars($1) }
            writer.key("nodes")
            writer.array(placement.nodes) { writer, node in
                writer.beginObject()
                writer.key("rank")
                writer.int(node.rank)
                writer.key("offer")
                writer.offer(node.offer)
                writer.endObject()
            }
            writer.endObject()
        }
        writer.key("reason")
        writer.optional(quote.reason) { $0.string($1) }  // null when there are placements
        writer.endObject()
    }
}
