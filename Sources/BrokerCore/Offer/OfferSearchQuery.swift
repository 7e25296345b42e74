/// A search of the offer book read from text parameters, as `GET /v1/offers` and the console's
/// market page take it: the same names, rules and messages in both. A parameter with a problem
/// filters nothing; each problem names its parameter.
public struct OfferSearchQuery: Sendable, Equatable {
    /// Every parameter the search reads.
    public static let parameters = [
        "gpu", "min_gpus", "min_gpu_memory_gb", "market", "max_price", "country", "region", "provider", "sort",
        "limit", "cursor",
    ]

    public var filter = OfferFilter()
    public var cursor: OfferCursor?
    public var limit: Int
    public private(set) var problems: [ParameterReader.Problem] = []

    /// Reads `values` (by parameter name; absent: no filter); `sort` and `limit` are what an
    /// absent `sort` and `limit` mean.
    public init(_ values: [String: String], catalog: GPUCatalog, sort: OfferFilter.Sort = .price, limit: Int = 100) {
        self.limit = limit
        var reader = ParameterReader(values)
        filter.gpus = reader.list("gpu").map { names in
            Set(
                names.flatMap { name in
                    let models = catalog.models(matching: name)
                    if models.isEmpty { reader.report("gpu", "unknown GPU model or family '\(name)'") }
                    return models.map(\.name)
                })
        }
        filter.minGPUs = reader.integer("min_gpus", in: 1...1024)
        filter.minGPUMemoryGB = reader.integer("min_gpu_memory_gb", in: 0...100_000)
        filter.market = reader.choice("market")
        filter.maxPricePerHour = reader.dollars("max_price")
        // Checked before uppercasing, which turns "ß" into "SS".
        filter.countries = reader.list("country").map { codes in
            Set(
                codes.filter { code in
                    let valid = code.count == 2 && code.allSatisfy { $0.isASCII && $0.isLetter }
                    if !valid { reader.report("country", "'\(code)' is not an ISO 3166 alpha-2 code such as DE") }
                    return valid
                }.map { $0.uppercased() })
        }
        // One region, verbatim: providers' region names may hold commas (Vast's "Utah, US").
        filter.regions = values["region"].map { [$0] }
        filter.providers = reader.list("provider").map(Set.init)
        filter.sort = reader.choice("sort") ?? sort
        self.limit = reader.integer("limit", in: 1...1000) ?? limit
        cursor = values["cursor"].flatMap { token in
            let cursor = OfferCursor(token: token)
            if cursor == nil { reader.report("cursor", "is not a cursor this broker gave out") }
            return cursor
        }
        problems = reader.problems
    }
}
