import BrokerCore

/// `GET /v1/offers`' answer (``OfferListResponse``), written from the book's page.
struct OfferPageJSON: JSONWritable {
    var page: OfferPage
    var nextCursor: String?

    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("offers")
        writer.offers(page)
        writer.key("next_cursor")
        writer.optional(nextCursor) { $0.string($1) }  // null on the last page, not absent
        writer.endObject()
    }
}
