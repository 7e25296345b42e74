import BrokerCore
import CurlHTTP
import Foundation

/// RunPod's GPU types and their prices, through its GraphQL API.
///
/// `POST {base}/graphql?api_key=<key>` with `{"query": "..."}` asking `gpuTypes`; prices are per GPU
/// per hour, for the secure cloud (RunPod's data centres) and the community cloud (hosts), on
/// demand and spot. Offers are made for 1, 2, 4 and 8 GPUs up to each type's `maxGpuCount`, in each
/// cloud that has a price, while `lowestPrice.stockStatus` says there is stock. Errors come as
/// HTTP 200 with `{"errors": [{"message": ...}], "data": null}`.
///
/// The API key travels in the URL: no error this source throws contains it.
public struct RunPodPricingSource: PricingSource {
    public let providerID: String
    /// The API root without a trailing slash, e.g. `https://api.runpod.io`.
    public let baseURL: String
    public let apiKey: String?
    public let catalog: GPUCatalog
    /// The GPU counts offered for each type, those up to its `maxGpuCount`.
    public let gpuCounts: [Int]

    /// The GraphQL query sent.
    public static let gpuTypesQuery =
        "query GpuTypes { gpuTypes { id displayName memoryInGb secureCloud communityCloud securePrice "
        + "communityPrice secureSpotPrice communitySpotPrice maxGpuCount lowestPrice(input: {gpuCount: 1}) "
        + "{ minimumBidPrice uninterruptablePrice stockStatus } } }"

    public init(
        providerID: String,
        baseURL: String,
        apiKey: String?,
        catalog: GPUCatalog = .standard,
        gpuCounts: [Int] = [1, 2, 4, 8]
    ) {
        self.providerID = providerID
        self.baseURL = ProviderJSON.trimmedBase(baseURL)
        self.apiKey = apiKey
        self.catalog = catalog
        self.gpuCounts = gpuCounts.filter { $0 > 0 }.sorted()
    }

    /// The `gpuTypes` query, with the key (percent-encoded) in the URL.
    public func pricingRequest() -> HTTPRequest {
        var request = RunPodGraphQL.request(baseURL: baseURL, apiKey: apiKey, query: Self.gpuTypesQuery)
        request.timeout = ProviderJSON.pricingTimeout
        request.retry = ProviderJSON.pricingRetry
        return request
    }

    public func fetchOffers(transport: any HTTPTransport, now: Date) async throws(ProviderError) -> PricingSnapshot {
        do {
            let body = try await transport.fetchBody(pricingRequest(), errors: RunPodErrors.self)
            return try Self.parse(
                body, providerID: providerID, catalog: catalog, now: now, gpuCounts: gpuCounts)
        } catch {
            throw RunPodGraphQL.redacted(error, apiKey: apiKey)
        }
    }

    /// Turns a `gpuTypes` answer into offers, for `gpuCounts` GPUs per offer.
    ///
    /// - Throws: ``ProviderError/api(code:message:)`` for a GraphQL `errors` answer;
    ///   ``ProviderError/malformed(_:)`` when the body is not JSON or has no `data.gpuTypes` array.
    public static func parse(
        _ body: [UInt8],
        providerID: String,
        catalog: GPUCatalog,
        now: Date,
        gpuCounts: [Int] = [1, 2, 4, 8]
    ) throws(ProviderError) -> PricingSnapshot {
        let data = try RunPodGraphQL.data(RunPodData.self, from: body)
        guard let records = data.gpuTypes else { throw .malformed("missing 'data.gpuTypes'") }
        return PricingSnapshot(records, catalog: catalog) { record, resolver in
            offersFor(record, providerID: providerID, now: now, gpuCounts: gpuCounts, resolver: &resolver)
        }
    }

    /// How many machines each `stockStatus` stands for; other values (null, "None") mean none.
    static func availability(stockStatus: String?) -> Int? {
        switch stockStatus?.lowercased() {
        case "high": 10
        case "medium": 5
        case "low": 1
        default: nil
        }
    }

    private static func offersFor(
        _ record: RunPodGPUType,
        providerID: String,
        now: Date,
        gpuCounts: [Int],
        resolver: inout GPUResolver
    ) -> RecordOutcome {
        guard record.isObject else { return .skipped(SkippedRecord(nativeID: nil, reason: "record is not an object")) }
        guard let id = record.id else { return .skipped(SkippedRecord(nativeID: nil, reason: "no id")) }
        func skip(_ reason: String) -> RecordOutcome { .skipped(SkippedRecord(nativeID: id, reason: reason)) }
        guard let available = availability(stockStatus: record.stockStatus) else { return .offers([]) }
        guard let maxCount = record.maxGpuCount else { return skip("no maxGpuCount") }
        guard maxCount > 0 else { return skip("maxGpuCount is \(maxCount)") }

        // (cloud, market, per-GPU price) for every price the type has.
        var prices: [(cloud: String, market: Market, price: Money)] = []
        let candidates: [(String, Market, Bool?, LenientAmount, String)] = [
            ("secure", .onDemand, record.secureCloud, record.securePrice, "securePrice"),
            ("secure", .spot, record.secureCloud, record.secureSpotPrice, "secureSpotPrice"),
            ("community", .onDemand, record.communityCloud, record.communityPrice, "communityPrice"),
            ("community", .spot, record.communityCloud, record.communitySpotPrice, "communitySpotPrice"),
        ]
        for (cloud, market, offered, amount, field) in candidates {
            switch amount {
            case .invalid: return skip("\(field) is not a number")
            case .amount(let price) where price < .zero: return skip("negative \(field)")
            case .amount(let price) where price > .zero && offered != false:
                prices.append((cloud, market, price))
            case .amount, .missing: continue
            }
        }
        guard !prices.isEmpty else { return skip("no price") }

        let rawName = id
        let memoryGB = record.memoryInGb.flatMap { $0 > 0 ? $0 : nil }
        var names = [id]
        if let displayName = record.displayName { names.append(displayName) }
        let gpu = resolver.resolve(names, memoryGB: memoryGB, rawName: rawName)
        var offers: [Offer] = []
        for (cloud, market, perGPU) in prices {
            for count in gpuCounts where count <= maxCount {
                let suffix = market == .spot ? ":spot" : ""
                offers.append(
                    Offer(
                        id: OfferID(provider: providerID, native: "\(id):\(cloud):\(count)\(suffix)"),
                        gpu: gpu,
                        gpuCount: count,
                        gpuMemoryGB: memoryGB ?? gpu.model?.memoryGB ?? 0,
                        interconnect: nil,
                        vcpus: 0,
                        memoryGB: 0,
                        diskGB: 0,
                        region: cloud,
                        country: nil,
                        market: market,
                        pricePerHour: perGPU * count,
                        available: available,
                        reliability: nil,
                        firstSeenAt: now,
                        lastSeenAt: now,
                        raw: nil
                    ))
            }
        }
        return .offers(offers)
    }
}

private struct RunPodData: Decodable {
    var gpuTypes: [RunPodGPUType]?
}

/// The fields of one `gpuTypes` entry.
private struct RunPodGPUType: Decodable {
    var isObject = true
    var id: String?
    var displayName: String?
    var memoryInGb: Int?
    var secureCloud: Bool?
    var communityCloud: Bool?
    var securePrice = LenientAmount.missing
    var communityPrice = LenientAmount.missing
    var secureSpotPrice = LenientAmount.missing
    var communitySpotPrice = LenientAmount.missing
    var maxGpuCount: Int?
    var stockStatus: String?

    private enum CodingKeys: String, CodingKey {
        case id, displayName, memoryInGb, secureCloud, communityCloud, securePrice, communityPrice
        case secureSpotPrice, communitySpotPrice, maxGpuCount, lowestPrice
    }

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: CodingKeys.self) else {
            isObject = false
            return
        }
        id = container.lenientID(.id)
        displayName = container.lenientString(.displayName)
        memoryInGb = container.lenientDouble(.memoryInGb).map { ProviderJSON.whole($0) }
        secureCloud = container.lenientBool(.secureCloud)
        communityCloud = container.lenientBool(.communityCloud)
        securePrice = container.lenientDollars(.securePrice)
        communityPrice = container.lenientDollars(.communityPrice)
        secureSpotPrice = container.lenientDollars(.secureSpotPrice)
        communitySpotPrice = container.lenientDollars(.communitySpotPrice)
        maxGpuCount = container.lenientInt(.maxGpuCount)
        stockStatus = container.lenientObject(.lowestPrice)?.lenientString(JSONKey("stockStatus"))
    }
}
