import BrokerCore

extension JSONWriter {
    /// An offer as the API shows it (``OfferResponse``), written from the book's ``Offer`` with no
    /// copy in between: money as its exact decimal, members without a value left out.
    mutating func offer(_ offer: Offer) {
        beginObject()
        key("id")
        string(offer.id.provider, ":", offer.id.native)
        key("provider")
        string(offer.id.provider)
        key("gpu")
        string(offer.gpu.name)
        key("gpu_count")
        int(offer.gpuCount)
        key("gpu_memory_gb")
        int(offer.gpuMemoryGB)
        if let interconnect = offer.interconnect {
            key("interconnect")
            string(interconnect)
        }
        key("vcpus")
        int(offer.vcpus)
        key("memory_gb")
        int(offer.memoryGB)
        key("disk_gb")
        int(offer.diskGB)
        key("region")
        string(offer.region)
        if let country = offer.country {
            key("country")
            string(country)
        }
        key("market")
        string(offer.market.rawValue)
        key("price_per_hour")
        dollars(offer.pricePerHour)
        key("price_per_gpu_hour")
        dollars(offer.pricePerGPUHour)
        key("available")
        int(offer.available)
        if let reliability = offer.reliability {
            key("reliability")
            double(reliability)
        }
        key("last_seen_at")
        date(offer.lastSeenAt)
        endObject()
    }
}

/// `GET /v1/offers`' answer (``OfferListResponse``), written from the book's page.
struct OfferPageJSON: JSONWritable {
    var offers: [Offer]
    var nextCursor: String?

    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("offers")
        writer.array(offers) { $0.offer($1) }
        writer.key("next_cursor")
        writer.optional(nextCursor) { $0.string($1) }  // null on the last page, not absent
        writer.endObject()
    }
}
