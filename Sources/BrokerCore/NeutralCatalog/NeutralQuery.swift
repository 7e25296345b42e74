/// One query of a neutral queries file (`shared/bench`), e.g.
///
///     {"id": 2, "gpu_name": "MI300X", "min_gpu_count": 4, "spot": false, "max_price": 11.46,
///      "region": "uksouth", "country": null}
///
/// The question: the cheapest offer with exactly that GPU model, at least `min_gpu_count` GPUs, in
/// the spot (true) or on-demand (false) market, costing at most `max_price` per hour, in `region`
/// and `country` (each when not null); ties go to the least (provider, instance type, region).
/// It is answered by an ``OfferBook`` search, the one `GET /v1/offers` uses.
public struct NeutralQuery: Sendable, Equatable {
    public var id: Int
    public var filter: OfferFilter

    public init(id: Int, filter: OfferFilter) {
        self.id = id
        self.filter = filter
    }

    /// The queries of a neutral queries file's text, in file order. `gpu_name` resolves like the
    /// offers' (``NeutralOffers``).
    public static func parse(_ text: [UInt8], catalog: GPUCatalog = .standard) throws(NeutralCatalogError) -> [Self] {
        try NeutralJSONLines.read(text) { reader, object, _ in query(&reader, &object, catalog: catalog) }
    }

    /// The cheapest matching offer of `book`, if any.
    public func answer(in book: OfferBook) -> NeutralAnswer {
        NeutralAnswer(queryID: id, offer: book.first(filter))
    }

    private static func query(
        _ reader: inout JSONFieldReader, _ object: inout JSONObjectReader, catalog: GPUCatalog
    ) -> Self? {
        let id = reader.required("id", of: &object) { $0.integer($1, in: 0...Int.max) }
        let gpuName = reader.required("gpu_name", of: &object) { $0.text($1) }
        let minGPUs = reader.required("min_gpu_count", of: &object) { $0.integer($1, in: 0...1024) }
        let spot = reader.required("spot", of: &object) { $0.bool($1) }
        let maxPrice = reader.optional("max_price", of: &object) { $0.positiveMoney($1) }
        let region = reader.optional("region", of: &object) { $0.text($1) }
        let country = reader.optional("country", of: &object) { $0.text($1) }
        guard let id, let gpuName, let minGPUs, let spot else { return nil }
        let filter = OfferFilter(
            gpus: [GPUName(resolving: gpuName, in: catalog).name], minGPUs: minGPUs, market: spot ? .spot : .onDemand,
            maxPricePerHour: maxPrice, countries: country.map { [$0] }, regions: region.map { [$0] }, sort: .price)
        return Self(id: id, filter: filter)
    }
}
