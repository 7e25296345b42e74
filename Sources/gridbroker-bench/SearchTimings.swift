import BrokerCore

/// Latency of offer searches on a book: a fixed mix of filters (GPU families, counts, markets,
/// countries, price caps, both sorts), each asking for the first page of 100.
struct SearchTimings {
    let offers: Int
    private(set) var samples = LatencySamples()

    init(book: OfferBook, rounds: Int = 50) {
        let catalog = GPUCatalog.standard
        let families = ["H100", "A100", "RTX4090", "L40S", "H200", "MI300X"]
        var filters: [OfferFilter] = [OfferFilter(), OfferFilter(sort: .pricePerGPU)]
        for (index, family) in families.enumerated() {
            let gpus = Set(catalog.models(matching: family).map(\.name))
            filters.append(OfferFilter(gpus: gpus))
            filters.append(OfferFilter(gpus: gpus, minGPUs: 8, market: index % 2 == 0 ? .spot : .onDemand))
            filters.append(OfferFilter(gpus: gpus, countries: ["DE", "FR", "NL"], sort: .pricePerGPU))
            filters.append(OfferFilter(gpus: gpus, maxPricePerHour: Money(microdollars: 2_000_000)))
        }
        for _ in 0..<rounds {
            for filter in filters {
                let page = samples.time { book.search(filter, limit: 100) }
                precondition(page.offers.count <= 100)
            }
        }
        offers = book.count
    }
}
