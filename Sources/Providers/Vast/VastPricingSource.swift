import BrokerCore
import CurlHTTP
import Foundation

/// Vast.ai's marketplace: one search over every rentable on-demand offer.
///
/// `POST {base}/api/v0/bundles/` with a JSON query, `Authorization: Bearer <key>`; the answer is
/// `{"offers": [...]}`, one record per machine slice, priced for the whole slice. Each record gives
/// an on-demand offer (`dph_total`) and, when `min_bid` is positive, a spot (interruptible) offer
/// at that price.
public struct VastPricingSource: PricingSource {
    public let providerID: String
    /// The API root without a trailing slash, e.g. `https://console.vast.ai`.
    public let baseURL: String
    public let apiKey: String?
    public let catalog: GPUCatalog
    /// The most offers asked for: enough for the whole market, since the answer is not paginated.
    public let limit: Int
    /// The largest answer accepted; 100,000 offers take a few hundred bytes each, or more.
    public let maxResponseBytes: Int

    public init(
        providerID: String,
        baseURL: String,
        apiKey: String?,
        catalog: GPUCatalog = .standard,
        limit: Int = 100_000,
        maxResponseBytes: Int = 512 << 20
    ) {
        self.providerID = providerID
        self.baseURL = ProviderJSON.trimmedBase(baseURL)
        self.apiKey = apiKey
        self.catalog = catalog
        self.limit = max(1, limit)
        self.maxResponseBytes = maxResponseBytes
    }

    /// The search request: every rentable on-demand offer, cheapest first.
    public func pricingRequest() -> HTTPRequest {
        let query =
            #"{"rentable":{"eq":true},"type":"on-demand","order":[["dph_total","asc"]],"limit":\#(limit)}"#
        var headers = ProviderJSON.headers(hasBody: true)
        if let key = ProviderJSON.usableKey(apiKey) {
            headers.add(name: "Authorization", value: "Bearer \(key)")
        }
        return HTTPRequest(
            method: .post,
            url: "\(baseURL)/api/v0/bundles/",
            headers: headers,
            body: Array(query.utf8),
            timeout: ProviderJSON.pricingTimeout,
            retry: ProviderJSON.pricingRetry,
            maxResponseBytes: maxResponseBytes
        )
    }

    public func fetchOffers(transport: any HTTPTransport, now: Date) async throws(ProviderError) -> PricingSnapshot {
        let body = try await transport.fetchBody(pricingRequest(), errors: VastErrorEnvelope.self)
        return try Self.parse(body, providerID: providerID, catalog: catalog, now: now)
    }

    /// Turns a search answer into offers.
    ///
    /// Reads the body with ``JSONScanner`` rather than `JSONDecoder`: 100,000 offers are parsed and
    /// normalized in a fraction of the time `JSONDecoder` needs just to index them.
    ///
    /// - Throws: ``ProviderError/malformed(_:)`` when the body is not JSON or has no `offers` array;
    ///   ``ProviderError/api(code:message:)`` when it is Vast's error envelope.
    public static func parse(
        _ body: [UInt8],
        providerID: String,
        catalog: GPUCatalog,
        now: Date
    ) throws(ProviderError) -> PricingSnapshot {
        guard !body.isEmpty else { throw .malformed("empty body") }
        var normalizer = VastNormalizer(providerID: providerID, catalog: catalog, now: now)
        let outcome = body.withUnsafeBufferPointer { buffer in
            VastAnswerReader.read(buffer, normalizer: &normalizer)
        }
        switch outcome {
        case .snapshot(let snapshot): return snapshot
        case .failure(let error): throw error
        }
    }
}

/// Reads `{"offers": [...]}` (or Vast's error envelope) record by record.
private enum VastAnswerReader {
    enum Outcome {
        case snapshot(PricingSnapshot)
        case failure(ProviderError)
    }

    static func read(_ buffer: UnsafeBufferPointer<UInt8>, normalizer: inout VastNormalizer) -> Outcome {
        var scanner = JSONScanner(buffer)
        do {
            return try readAnswer(&scanner, normalizer: &normalizer)
        } catch {
            return .failure(.malformed("not valid JSON (cut off or corrupt)"))
        }
    }

    private static func readAnswer(
        _ scanner: inout JSONScanner,
        normalizer: inout VastNormalizer
    ) throws(JSONScanner.Failure) -> Outcome {
        guard scanner.peek() == UInt8(ascii: "{") else {
            try scanner.skipValue()
            guard scanner.isAtEnd() else { throw JSONScanner.Failure(offset: scanner.index) }
            return .failure(.malformed("expected an object at the top level"))
        }
        try scanner.expect(UInt8(ascii: "{"))
        var snapshot: PricingSnapshot?
        var code: String?
        var message: String?
        if !scanner.consume(UInt8(ascii: "}")) {
            repeat {
                let key = try scanner.readKey()
                if key.spells("offers") {
                    switch scanner.peek() {
                    case UInt8(ascii: "["):
                        snapshot = try readOffers(&scanner, normalizer: &normalizer)
                    case UInt8(ascii: "n"):
                        try scanner.skipValue()
                    default:
                        try scanner.skipValue()
                        return .failure(.malformed("expected an array at 'offers'"))
                    }
                } else if key.spells("error") {
                    code = try scanner.readScalar().text
                } else if key.spells("msg") || key.spells("message") || key.spells("detail") {
                    message = try scanner.readScalar().text ?? message
                } else {
                    try scanner.skipValue()
                }
            } while try scanner.nextMember(close: UInt8(ascii: "}"))
        }
        guard scanner.isAtEnd() else { throw JSONScanner.Failure(offset: scanner.index) }
        if let snapshot { return .snapshot(snapshot) }
        if code != nil || message != nil {
            return .failure(.api(code: code, message: message ?? code ?? ""))
        }
        return .failure(.malformed("missing 'offers'"))
    }

    private static func readOffers(
        _ scanner: inout JSONScanner,
        normalizer: inout VastNormalizer
    ) throws(JSONScanner.Failure) -> PricingSnapshot {
        try scanner.expect(UInt8(ascii: "["))
        var offers: [Offer] = []
        var skipped: [SkippedRecord] = []
        if scanner.consume(UInt8(ascii: "]")) { return PricingSnapshot(offers: offers, skipped: skipped) }
        offers.reserveCapacity(scanner.remainingBytes / 400)
        repeat {
            if scanner.peek() == UInt8(ascii: "{") {
                let record = try readRecord(&scanner)
                if let skip = normalizer.appendOffers(for: record, to: &offers) { skipped.append(skip) }
            } else {
                try scanner.skipValue()
                skipped.append(SkippedRecord(nativeID: nil, reason: "record is not an object"))
            }
        } while try scanner.nextMember(close: UInt8(ascii: "]"))
        return PricingSnapshot(offers: offers, skipped: skipped)
    }

    private static func readRecord(_ scanner: inout JSONScanner) throws(JSONScanner.Failure) -> VastOfferRecord {
        try scanner.expect(UInt8(ascii: "{"))
        var record = VastOfferRecord()
        if scanner.consume(UInt8(ascii: "}")) { return record }
        repeat {
            let key = try scanner.readKey()
            guard let field = VastOfferRecord.Field(key) else {
                try scanner.skipValue()
                continue
            }
            record.set(field, try scanner.readScalar())
        } while try scanner.nextMember(close: UInt8(ascii: "}"))
        return record
    }
}

/// Builds the offers of one Vast record.
private struct VastNormalizer {
    let providerID: String
    let now: Date
    var resolver: GPUResolver
    private var locations: [String: (region: String, country: String?)] = [:]

    init(providerID: String, catalog: GPUCatalog, now: Date) {
        self.providerID = providerID
        self.now = now
        self.resolver = GPUResolver(catalog: catalog)
    }

    /// Appends the record's offers to `offers`; returns why it has none, if it is unusable.
    mutating func appendOffers(for record: VastOfferRecord, to offers: inout [Offer]) -> SkippedRecord? {
        guard let id = record.id else { return SkippedRecord(nativeID: nil, reason: "no id") }
        func skip(_ reason: String) -> SkippedRecord { SkippedRecord(nativeID: id, reason: reason) }
        guard let count = record.numGPUs else { return skip("no num_gpus") }
        guard count > 0 else { return skip("num_gpus is \(count)") }
        let price: Money
        switch record.dphTotal {
        case .missing: return skip("no dph_total")
        case .invalid: return skip("dph_total is not a number")
        case .amount(let amount):
            guard amount >= .zero else { return skip("negative dph_total") }
            price = amount
        }
        guard let rawName = record.gpuName.map(ProviderJSON.trimmed), !rawName.isEmpty else {
            return skip("no gpu_name")
        }
        if record.rentable == false { return nil }

        let memoryGB = record.gpuRAM.map { ProviderJSON.gigabytes(mebibytes: $0) }
        let gpu = resolver.resolve(rawName, memoryGB: memoryGB)
        let location = cachedLocation(record.geolocation)
        var offer = Offer(
            id: OfferID(provider: providerID, native: id),
            gpu: gpu,
            gpuCount: count,
            gpuMemoryGB: memoryGB ?? gpu.model?.memoryGB ?? 0,
            interconnect: nil,
            vcpus: ProviderJSON.whole(record.cpuCores),
            memoryGB: record.cpuRAM.map { ProviderJSON.gigabytes(mebibytes: $0) } ?? 0,
            diskGB: ProviderJSON.whole(record.disk),
            region: location.region,
            country: location.country,
            market: .onDemand,
            pricePerHour: price,
            available: 1,
            reliability: record.reliability.map { min(max($0, 0), 1) },
            firstSeenAt: now,
            lastSeenAt: now,
            raw: nil
        )
        guard let bid = record.minBid.money, bid > .zero else {
            offers.append(offer)
            return nil
        }
        offers.append(offer)
        offer.id = OfferID(provider: providerID, native: id + ":spot")
        offer.market = .spot
        offer.pricePerHour = bid
        offers.append(offer)
        return nil
    }

    /// ``location(_:)``, remembered: a market has a few hundred distinct locations.
    private mutating func cachedLocation(_ geolocation: String?) -> (region: String, country: String?) {
        guard let geolocation else { return Self.location(nil) }
        if let known = locations[geolocation] { return known }
        let location = Self.location(geolocation)
        locations[geolocation] = location
        return location
    }

    /// Region and country from `geolocation`: "Oregon, US" → ("Oregon, US", "US"), "CA" → ("CA", "CA").
    static func location(_ geolocation: String?) -> (region: String, country: String?) {
        guard let text = geolocation.map(ProviderJSON.trimmed), !text.isEmpty else {
            return ("unknown", nil)
        }
        guard let last = CountryNames.parts(of: text).last else { return (text, nil) }
        if CountryNames.isAlpha2Code(last) { return (text, last) }
        return (text, CountryNames.code(forName: last))
    }
}

/// The fields of a Vast offer the adapter reads; the rest (there are about a hundred) are skipped.
private struct VastOfferRecord {
    var id: String?
    var gpuName: String?
    var numGPUs: Int?
    var gpuRAM: Double?
    var cpuCores: Double?
    var cpuRAM: Double?
    var disk: Double?
    var dphTotal = LenientAmount.missing
    var minBid = LenientAmount.missing
    var reliability: Double?
    var geolocation: String?
    var rentable: Bool?

    enum Field {
        case id, gpuName, numGPUs, gpuRAM, cpuCores, cpuRAM, disk, dphTotal, minBid, reliability, geolocation
        case rentable

        /// The field a key names, nil for the keys the adapter ignores.
        init?(_ key: UnsafeBufferPointer<UInt8>) {
            switch key.count {
            case 2 where key.spells("id"): self = .id
            case 7 where key.spells("gpu_ram"): self = .gpuRAM
            case 7 where key.spells("cpu_ram"): self = .cpuRAM
            case 7 where key.spells("min_bid"): self = .minBid
            case 8 where key.spells("gpu_name"): self = .gpuName
            case 8 where key.spells("num_gpus"): self = .numGPUs
            case 8 where key.spells("rentable"): self = .rentable
            case 9 where key.spells("dph_total"): self = .dphTotal
            case 10 where key.spells("disk_space"): self = .disk
            case 11 where key.spells("geolocation"): self = .geolocation
            case 12 where key.spells("reliability2"): self = .reliability
            case 19 where key.spells("cpu_cores_effective"): self = .cpuCores
            default: return nil
            }
        }
    }

    mutating func set(_ field: Field, _ value: JSONScanner.Scalar) {
        switch field {
        case .id: id = value.id
        case .gpuName: gpuName = value.text
        case .numGPUs: numGPUs = value.int
        case .gpuRAM: gpuRAM = value.double
        case .cpuCores: cpuCores = value.double
        case .cpuRAM: cpuRAM = value.double
        case .disk: disk = value.double
        case .dphTotal: dphTotal = value.dollars
        case .minBid: minBid = value.dollars
        case .reliability: reliability = value.double
        case .geolocation: geolocation = value.text
        case .rentable: rentable = value.bool
        }
    }
}
