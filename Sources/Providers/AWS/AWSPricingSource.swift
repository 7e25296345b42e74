import BrokerCore
import CurlHTTP
import Foundation

/// AWS EC2 GPU prices: the current spot price of each GPU instance type in each availability zone,
/// from `DescribeSpotPriceHistory`, plus on-demand prices the operator configures.
///
/// Each poll asks every configured region in turn (one signed EC2 Query API form `POST` per page,
/// following `NextToken`) with `StartTime` = now, so EC2 answers the price in force now in each
/// zone. Linux prices come as `Linux/UNIX` or `Linux/UNIX (Amazon VPC)` (EC2-Classic's and VPC's
/// names for the same thing); both are asked for and taken. It yields:
/// - one spot offer per (instance type, availability zone), id `<type>:<az>:spot`, region = the
///   zone, at the newest price seen for it;
/// - one on-demand offer per (instance type, region), id `<type>:<region>:on_demand`, for each
///   type that has a price in `onDemandPrices` and shows up in that region's spot price history
///   (AWS sells each type in only some regions; the history says which).
///
/// AWS does not publish capacity; what limits an account is its quotas. An offer's `available` is
/// the region's `max_instances` when configured, else how many instances of the type the account's
/// vCPU quota for its family and market leaves room for (``AWSVCPUQuotas``, where the Service Quotas
/// API gives it; asked once an hour per region), else 1. A region that fails fails the whole poll
/// with that region's error, naming the region where the error has a message.
public struct AWSPricingSource: PricingSource, CustomStringConvertible {
    /// The real EC2 endpoint, per region.
    public static let defaultEndpoint = "https://ec2.{region}.amazonaws.com"
    /// The product descriptions asked for and accepted: Linux, as EC2 names it either way.
    static let productDescriptions = ["Linux/UNIX", "Linux/UNIX (Amazon VPC)"]
    /// The page size asked for (EC2's maximum).
    static let pageSize = 1000
    /// More pages than this for one region is taken for a server that never stops paginating.
    static let maxPages = 200

    public let providerID: String
    /// The endpoint URL with `{region}` where the region goes.
    public let endpoint: String
    public let regions: [String]
    public let credentials: AWSCredentials
    /// Instance type → on-demand price per hour for the whole instance.
    public let onDemandPrices: [String: Money]
    /// Region → how many instances it may run at once (config `max_instances`).
    public let maxInstances: [String: Int]
    /// Quotas change when the account asks AWS, not between polls: asked again hourly.
    private let quotaCache = AWSVCPUQuotas.Cache(lifetime: 3_600)
    public let catalog: GPUCatalog

    /// The instance types priced, with their GPU resolved through ``catalog``.
    private let types: [String: (spec: AWSInstanceType, gpu: GPUName)]

    /// - Parameters:
    ///   - providerID: the configured provider id; offer ids start with it.
    ///   - endpoint: the EC2 endpoint, `{region}` replaced by each region; the simulated market's
    ///     is `http://127.0.0.1:9400/aws/{region}`.
    ///   - regions: the regions polled, e.g. `["us-east-1", "eu-central-1"]`.
    ///   - credentials: the access key that signs the requests (needs `ec2:DescribeSpotPriceHistory`).
    ///   - onDemandPrices: instance type → on-demand $/h, from the operator's configuration.
    ///   - maxInstances: region → how many instances it may run, from the operator's configuration;
    ///     other regions ask the account's vCPU quotas (needs `servicequotas:GetServiceQuota`).
    ///   - catalog: the GPU catalog the instance types' GPUs are resolved through.
    public init(
        providerID: String,
        endpoint: String = AWSPricingSource.defaultEndpoint,
        regions: [String],
        credentials: AWSCredentials,
        onDemandPrices: [String: Money] = [:],
        maxInstances: [String: Int] = [:],
        catalog: GPUCatalog = .standard
    ) {
        self.providerID = providerID
        self.endpoint = endpoint
        self.regions = regions
        self.credentials = credentials
        self.onDemandPrices = onDemandPrices
        self.maxInstances = maxInstances
        self.catalog = catalog
        self.types = Dictionary(
            uniqueKeysWithValues: AWSInstanceType.gpuTypes.map { spec in
                (spec.name, (spec, GPUName(resolving: spec.gpuModel, memoryGB: spec.gpuMemoryGB, in: catalog)))
            })
    }

    /// Names the provider, endpoint and regions; never the secret.
    public var description: String {
        "AWSPricingSource(providerID: \(providerID), endpoint: \(endpoint), regions: \(regions), "
            + "credentials: \(credentials))"
    }

    public func fetchOffers(transport: any HTTPTransport, now: Date) async throws(ProviderError) -> PricingSnapshot {
        try checkConfiguration()
        var snapshot = PricingSnapshot(offers: [])
        for region in regions {
            let items: [AWSSpotPricePage.Item]
            do {
                items = try await spotPriceItems(region: region, transport: transport, now: now)
            } catch {
                throw error.inRegion(region)
            }
            let capacity = await capacity(in: region, transport: transport, now: now)
            appendOffers(from: items, region: region, capacity: capacity, now: now, to: &snapshot)
        }
        for type in onDemandPrices.keys.sorted() where types[type] == nil {
            snapshot.skipped.append(
                SkippedRecord(
                    nativeID: "\(type):on_demand",
                    reason: "on-demand price configured for '\(type)', which is not a known GPU instance type"))
        }
        return snapshot
    }

    /// How many instances of a type, in a market, `region` may run.
    private func capacity(
        in region: String, transport: any HTTPTransport, now: Date
    ) async -> (AWSInstanceType, Market) -> Int {
        if let configured = maxInstances[region] { return { _, _ in configured } }
        let quotas = await quotaCache.quotas(of: region, at: now) {
            await AWSVCPUQuotas.fetch(
                region: region, ec2Endpoint: endpoint, credentials: credentials, transport: transport, now: now)
        }
        return { type, market in quotas.instances(of: type, market: market) ?? 1 }
    }

    // MARK: Requests

    private func checkConfiguration() throws(ProviderError) {
        try AWSQuery.checkConfiguration(credentials: credentials, regions: regions)
    }

    /// Every item of every page of `region`'s spot price history.
    private func spotPriceItems(
        region: String, transport: any HTTPTransport, now: Date
    ) async throws(ProviderError) -> [AWSSpotPricePage.Item] {
        try await AWSQuery.allPages(maxPages: Self.maxPages) { token throws(ProviderError) in
            let request = try spotPriceRequest(region: region, nextToken: token, now: now)
            let page = try AWSQueryResponse.spotPricePage(from: try await transport.send(request))
            return (page.items, page.nextToken)
        }
    }

    /// The signed `DescribeSpotPriceHistory` request for one page of `region`.
    func spotPriceRequest(region: String, nextToken: String?, now: Date) throws(ProviderError) -> HTTPRequest {
        var parameters: [(String, String)] = [
            ("Action", "DescribeSpotPriceHistory"),
            ("Version", AWSQuery.apiVersion),
            ("ProductDescription.1", Self.productDescriptions[0]),
            ("ProductDescription.2", Self.productDescriptions[1]),
            ("StartTime", AWSTime.iso8601(now)),
            ("MaxResults", String(Self.pageSize)),
        ]
        for (number, type) in AWSInstanceType.gpuTypes.enumerated() {
            parameters.append(("InstanceType.\(number + 1)", type.name))
        }
        if let nextToken { parameters.append(("NextToken", nextToken)) }
        // A form POST, as the AWS SDKs send Query API calls (emulators that check signatures, such
        // as moto, accept only that).
        let request = HTTPRequest(
            method: .post, url: try AWSQuery.regionURL(endpoint: endpoint, region: region),
            headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"],
            body: Array(AWSQuery.encoded(parameters).utf8))
        return try SigV4Signer(credentials: credentials, region: region, service: "ec2").sign(request, at: now)
    }

    // MARK: Offers

    private func appendOffers(
        from items: [AWSSpotPricePage.Item], region: String, capacity: (AWSInstanceType, Market) -> Int, now: Date,
        to snapshot: inout PricingSnapshot
    ) {
        let country = AWSRegions.country(of: region)
        // Newest price per (type, zone), in order of first appearance.
        var newest: [(nativeID: String, type: String, zone: String, price: Money, time: Date, raw: String)] = []
        var positions: [String: Int] = [:]
        var typesSeen: Set<String> = []

        for item in items {
            let type = item.instanceType ?? ""
            let zone = item.availabilityZone ?? ""
            let nativeID = "\(type):\(zone):spot"
            func skip(_ reason: String) {
                snapshot.skipped.append(
                    SkippedRecord(nativeID: type.isEmpty && zone.isEmpty ? nil : nativeID, reason: reason))
            }
            guard !type.isEmpty else {
                skip("item without instanceType")
                continue
            }
            guard !zone.isEmpty else {
                skip("item without availabilityZone")
                continue
            }
            guard types[type] != nil else {
                skip("instance type '\(type)' is not a known GPU instance type")
                continue
            }
            typesSeen.insert(type)
            guard item.productDescription.map(Self.productDescriptions.contains) ?? true else {
                skip("product description '\(item.productDescription ?? "")' is not Linux/UNIX")
                continue
            }
            guard let priceText = item.spotPrice, let price = try? Money(parsing: priceText) else {
                skip("spot price '\(item.spotPrice ?? "")' is not a decimal amount")
                continue
            }
            guard price > .zero else {
                skip("spot price '\(priceText)' is not positive")
                continue
            }
            guard let timeText = item.timestamp, let time = RFC3339.date(from: timeText) else {
                skip("timestamp '\(item.timestamp ?? "")' is not an ISO 8601 UTC time")
                continue
            }
            let raw = Self.rawJSON([
                ("instanceType", type), ("productDescription", item.productDescription ?? ""),
                ("spotPrice", priceText), ("timestamp", timeText), ("availabilityZone", zone),
            ])
            let entry = (nativeID, type, zone, price, time, raw)
            if let position = positions[nativeID] {
                if time >= newest[position].time { newest[position] = entry }
            } else {
                positions[nativeID] = newest.count
                newest.append(entry)
            }
        }

        for entry in newest {
            snapshot.offers.append(
                offer(
                    native: entry.nativeID, type: entry.type, region: entry.zone, country: country, market: .spot,
                    price: entry.price, capacity: capacity, now: now, raw: entry.raw))
        }
        for spec in AWSInstanceType.gpuTypes where typesSeen.contains(spec.name) {
            guard let price = onDemandPrices[spec.name] else { continue }
            let raw = Self.rawJSON([
                ("instanceType", spec.name), ("region", region), ("onDemandPrice", price.plainDecimal),
            ])
            snapshot.offers.append(
                offer(
                    native: "\(spec.name):\(region):on_demand", type: spec.name, region: region, country: country,
                    market: .onDemand, price: price, capacity: capacity, now: now, raw: raw))
        }
    }

    private func offer(
        native: String, type: String, region: String, country: String?, market: Market, price: Money,
        capacity: (AWSInstanceType, Market) -> Int, now: Date, raw: String
    ) -> Offer {
        let (spec, gpu) = types[type]!
        return Offer(
            id: OfferID(provider: providerID, native: native), gpu: gpu, gpuCount: spec.gpuCount,
            gpuMemoryGB: spec.gpuMemoryGB, interconnect: spec.interconnect, vcpus: spec.vcpus,
            memoryGB: spec.memoryGiB, diskGB: spec.diskGB, region: region, country: country, market: market,
            pricePerHour: price, available: capacity(spec, market), reliability: nil, firstSeenAt: now, lastSeenAt: now,
            raw: raw)
    }

    /// A flat JSON object of string fields, in order.
    static func rawJSON(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(jsonString($0.0)):\(jsonString($0.1))" }.joined(separator: ",") + "}"
    }

    private static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension Money {
    /// Dollars with six decimals, e.g. "98.320000", for raw records.
    fileprivate var plainDecimal: String {
        let sign = microdollars < 0 ? "-" : ""
        let magnitude = microdollars.magnitude
        let fraction = String(magnitude % 1_000_000)
        return "\(sign)\(magnitude / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }
}
