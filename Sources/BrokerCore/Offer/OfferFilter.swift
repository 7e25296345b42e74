/// What an offer search asks for; every criterion left nil matches anything.
///
/// ``OfferBook`` answers searches with it; ``matches(_:)`` and ``orders(_:before:)`` are the
/// definition (the book's tests check its answers against a brute-force use of them).
public struct OfferFilter: Sendable, Equatable {
    /// The order of results; ties are broken by offer id.
    public enum Sort: String, Sendable, CaseIterable {
        /// Cheapest whole offer first.
        case price
        /// Cheapest per GPU-hour first.
        case pricePerGPU = "price_per_gpu"
    }

    /// Canonical GPU names (or provider names of unknown GPUs) the offer's GPU must be one of.
    public var gpus: Set<String>?
    public var minGPUs: Int?
    /// Memory per GPU, in GB.
    public var minGPUMemoryGB: Int?
    public var market: Market?
    /// The most the whole offer may cost per hour.
    public var maxPricePerHour: Money?
    /// ISO codes; an offer whose country is unknown matches no country filter.
    public var countries: Set<String>?
    public var regions: Set<String>?
    public var providers: Set<String>?
    public var sort: Sort

    public init(
        gpus: Set<String>? = nil, minGPUs: Int? = nil, minGPUMemoryGB: Int? = nil, market: Market? = nil,
        maxPricePerHour: Money? = nil, countries: Set<String>? = nil, regions: Set<String>? = nil,
        providers: Set<String>? = nil, sort: Sort = .price
    ) {
        self.gpus = gpus
        self.minGPUs = minGPUs
        self.minGPUMemoryGB = minGPUMemoryGB
        self.market = market
        self.maxPricePerHour = maxPricePerHour
        self.countries = countries
        self.regions = regions
        self.providers = providers
        self.sort = sort
    }

    /// Whether `offer` meets every criterion.
    public func matches(_ offer: Offer) -> Bool {
        withUnsafePointer(to: offer) { matches(UnsafeBufferPointer(start: $0, count: 1), at: 0) }
    }

    /// Whether `offers[index]` meets every criterion. It reads only the fields it tests, so a scan
    /// of a buffer copies no offer (an `Offer` passed by value out of an array is copied whole).
    func matches(_ offers: UnsafeBufferPointer<Offer>, at index: Int) -> Bool {
        if let minGPUs, offers[index].gpuCount < minGPUs { return false }
        if let minGPUMemoryGB, offers[index].gpuMemoryGB < minGPUMemoryGB { return false }
        if let market, offers[index].market != market { return false }
        if let maxPricePerHour, offers[index].pricePerHour > maxPricePerHour { return false }
        if let gpus, !Self.has(gpus, offers[index].gpu.name) { return false }
        if let countries {
            guard let country = offers[index].country, Self.has(countries, country) else { return false }
        }
        if let regions, !Self.has(regions, offers[index].region) { return false }
        if let providers, !Self.has(providers, offers[index].id.provider) { return false }
        return true
    }

    /// Whether `set` holds `value`: a small set (a country or two) is compared member by member,
    /// which costs less than hashing `value` at every offer a search scans.
    private static func has(_ set: Set<String>, _ value: String) -> Bool {
        set.count <= 4 ? set.contains { $0 == value } : set.contains(value)
    }

    /// The value results are ordered by.
    public func sortKey(of offer: Offer) -> Money {
        switch sort {
        case .price: offer.pricePerHour
        case .pricePerGPU: offer.pricePerGPUHour
        }
    }

    /// Whether `a` comes before `b` in this filter's order.
    public func orders(_ a: Offer, before b: Offer) -> Bool {
        let (keyA, keyB) = (sortKey(of: a), sortKey(of: b))
        return keyA != keyB ? keyA < keyB : a.id < b.id
    }
}
