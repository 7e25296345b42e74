extension JSONWriter {
    /// An offer as the API shows it (`OfferResponse`): money as its exact decimal, members without
    /// a value left out.
    public mutating func offer(_ offer: Offer) {
        offerHead(offer)
        date(offer.lastSeenAt)
        endObject()
    }

    /// A search's offers as a JSON array, each from the head ``offerHead(of:)`` rendered for it:
    /// only when it was last seen is written.
    public mutating func offers(_ page: OfferPage) {
        beginArray()
        page.forEachHead { head, lastSeenAt in
            object(resuming: head)
            date(lastSeenAt)
            endObject()
        }
        endArray()
    }

    /// Everything of `offer`'s JSON but when it was last seen, which every poll of its provider
    /// changes: `{`, the members, and `"last_seen_at":`. The offer book keeps it per offer, so a
    /// search answer copies it instead of writing every member of every offer it lists.
    public static func offerHead(of offer: Offer) -> [UInt8] {
        var writer = JSONWriter(capacity: 384)
        writer.offerHead(offer)
        return writer.bytes
    }

    private mutating func offerHead(_ offer: Offer) {
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
    }
}
