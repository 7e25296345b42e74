import BrokerCore
import CurlHTTP
import Foundation

/// Lambda Cloud's instance types, their prices and the regions with capacity.
///
/// `GET {base}/api/v1/instance-types`, `Authorization: Bearer <key>`; the answer maps each type name
/// to `{"instance_type": {...}, "regions_with_capacity_available": [...]}`. One on-demand offer per
/// type and region with capacity; a type with no such region is sold out and gives none. Errors are
/// `{"error": {"code", "message", "suggestion"}}` with a 4xx or 5xx status.
public struct LambdaPricingSource: PricingSource {
    public let providerID: String
    /// The API root without a trailing slash, e.g. `https://cloud.lambda.ai`.
    public let baseURL: String
    public let apiKey: String?
    public let catalog: GPUCatalog

    public init(providerID: String, baseURL: String, apiKey: String?, catalog: GPUCatalog = .standard) {
        self.providerID = providerID
        self.baseURL = ProviderJSON.trimmedBase(baseURL)
        self.apiKey = apiKey
        self.catalog = catalog
    }

    /// `GET /api/v1/instance-types`.
    public func pricingRequest() -> HTTPRequest {
        ProviderJSON.pricingGET("\(baseURL)/api/v1/instance-types", apiKey: apiKey) {
            ("Authorization", "Bearer \($0)")
        }
    }

    public func fetchOffers(transport: any HTTPTransport, now: Date) async throws(ProviderError) -> PricingSnapshot {
        let body = try await transport.fetchBody(pricingRequest(), errors: LambdaErrorEnvelope.self)
        return try Self.parse(body, providerID: providerID, catalog: catalog, now: now)
    }

    /// Turns an instance-types answer into offers, types in name order.
    ///
    /// - Throws: ``ProviderError/api(code:message:)`` for Lambda's error envelope;
    ///   ``ProviderError/malformed(_:)`` when the body is not JSON or has no `data` object.
    public static func parse(
        _ body: [UInt8],
        providerID: String,
        catalog: GPUCatalog,
        now: Date
    ) throws(ProviderError) -> PricingSnapshot {
        let answer = try ProviderJSON.decode(LambdaAnswer.self, from: body)
        guard let entries = answer.data else {
            if let error = answer.envelope.error { throw error }
            throw .malformed("missing 'data'")
        }
        return PricingSnapshot(entries.sorted { $0.key < $1.key }, catalog: catalog) { entry, resolver in
            offersFor(entry.value, key: entry.key, providerID: providerID, now: now, resolver: &resolver)
        }
    }

    /// ISO country of each Lambda region name.
    static let countriesByRegion: [String: String] = [
        "us-east-1": "US", "us-east-2": "US", "us-east-3": "US",
        "us-west-1": "US", "us-west-2": "US", "us-west-3": "US",
        "us-south-1": "US", "us-south-2": "US", "us-south-3": "US",
        "us-midwest-1": "US", "us-midwest-2": "US",
        "europe-central-1": "DE", "asia-northeast-1": "JP", "asia-northeast-2": "JP",
        "asia-south-1": "IN", "me-west-1": "IL", "australia-east-1": "AU",
    ]

    /// The country of a region: from the table, else from its description ("Virginia, USA").
    static func country(region: String, description: String?) -> String? {
        if let code = countriesByRegion[region] { return code }
        if let last = description.flatMap({ CountryNames.parts(of: $0).last }),
            let code = CountryNames.code(forName: last)
        {
            return code
        }
        return region.hasPrefix("us-") ? "US" : nil
    }

    private static func offersFor(
        _ entry: LambdaEntry,
        key: String,
        providerID: String,
        now: Date,
        resolver: inout GPUResolver
    ) -> RecordOutcome {
        func skip(_ reason: String) -> RecordOutcome { .skipped(SkippedRecord(nativeID: key, reason: reason)) }
        guard entry.isObject else { return skip("record is not an object") }
        guard let type = entry.instanceType else { return skip("no instance_type") }
        let name = type.name ?? key
        let price: Money
        switch type.priceCents {
        case .missing: return skip("no price_cents_per_hour")
        case .invalid: return skip("price_cents_per_hour is not a number")
        case .amount(let amount):
            guard amount >= .zero else { return skip("negative price_cents_per_hour") }
            price = amount
        }
        let gpuName = LambdaGPUDescription(
            typeName: name, gpuDescription: type.gpuDescription, description: type.description)
        guard let count = type.gpus ?? gpuName.countFromTypeName else { return skip("no GPU count") }
        guard count > 0 else {
            // CPU-only types ("cpu_4x_general") are not GPU offers.
            return count == 0 && !name.hasPrefix("gpu_") ? .offers([]) : skip("GPU count is \(count)")
        }
        guard let regions = entry.regions else { return skip("regions_with_capacity_available is not a list") }

        let gpu = resolver.resolve(gpuName.candidates, memoryGB: gpuName.memoryGB, rawName: gpuName.rawName)
        var offers: [Offer] = []
        for region in regions {
            guard let regionName = region.name else { continue }
            offers.append(
                Offer(
                    id: OfferID(provider: providerID, native: "\(name):\(regionName)"),
                    gpu: gpu,
                    gpuCount: count,
                    gpuMemoryGB: gpuName.memoryGB ?? gpu.model?.memoryGB ?? 0,
                    interconnect: gpuName.interconnect,
                    vcpus: ProviderJSON.whole(type.vcpus),
                    memoryGB: ProviderJSON.whole(type.memoryGiB),
                    diskGB: ProviderJSON.whole(type.storageGiB),
                    region: regionName,
                    country: country(region: regionName, description: region.description),
                    market: .onDemand,
                    pricePerHour: price,
                    available: 1,
                    reliability: nil,
                    firstSeenAt: now,
                    lastSeenAt: now,
                    raw: nil
                ))
        }
        return .offers(offers)
    }
}

/// What a Lambda instance type says about its GPU: "gpu_8x_h100_sxm5" with "H100 (80 GB SXM5)".
struct LambdaGPUDescription {
    /// Names to try in the catalog, most specific first: "h100_sxm5", "H100 SXM5", "H100".
    var candidates: [String] = []
    /// The name kept when the catalog knows none: the GPU description's model ("H100"), else the
    /// type name's model part.
    var rawName: String
    var memoryGB: Int?
    var interconnect: String?
    /// The N of "gpu_Nx_...".
    var countFromTypeName: Int?

    init(typeName: String, gpuDescription: String?, description: String?) {
        // "gpu_8x_h100_sxm5" → count 8, model "h100_sxm5".
        var typeModel = ""
        let parts = typeName.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        if parts.count == 3, parts[1].hasSuffix("x"), let count = Int(parts[1].dropLast()) {
            countFromTypeName = count
            typeModel = String(parts[2])
        }
        // "H100 (80 GB SXM5)", or the description without its "8x ".
        var text = gpuDescription?.trimmingCharacters(in: .whitespaces) ?? ""
        if text.isEmpty, let description {
            text = description.trimmingCharacters(in: .whitespaces)
            if let space = text.firstIndex(of: " "), text[..<space].hasSuffix("x"),
                Int(text[..<space].dropLast()) != nil
            {
                text = String(text[text.index(after: space)...])
            }
        }
        let base: String
        var formFactor: [Substring] = []
        if let open = text.firstIndex(of: "(") {
            base = text[..<open].trimmingCharacters(in: .whitespaces)
            let inside = text[text.index(after: open)...].prefix { $0 != ")" }
            let words = inside.split(separator: " ")
            for (index, word) in words.enumerated() {
                if word.uppercased() == "GB" || word.uppercased() == "GIB" { continue }
                if let number = Int(word) {
                    if index + 1 < words.count, words[index + 1].uppercased().hasPrefix("G") { memoryGB = number }
                    continue
                }
                if word.uppercased().hasSuffix("GB"), let number = Int(word.dropLast(2)) {
                    memoryGB = number
                    continue
                }
                formFactor.append(word)
            }
        } else {
            base = text
        }
        if !typeModel.isEmpty { candidates.append(typeModel) }
        if !base.isEmpty {
            if !formFactor.isEmpty { candidates.append(([base[...]] + formFactor).joined(separator: " ")) }
            candidates.append(base)
        }
        rawName = base.isEmpty ? (typeModel.isEmpty ? typeName : typeModel) : base
        let form = formFactor.joined(separator: " ").lowercased() + " " + typeModel.lowercased()
        if form.contains("sxm") {
            interconnect = "sxm"
        } else if form.contains("pcie") {
            interconnect = "pcie"
        }
    }
}

/// `{"data": {...}}`, or Lambda's error envelope.
private struct LambdaAnswer: Decodable {
    var data: [String: LambdaEntry]?
    var envelope: LambdaErrorEnvelope

    private enum CodingKeys: String, CodingKey {
        case data
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        data = try container.decodeIfPresent([String: LambdaEntry].self, forKey: .data)
        envelope = data == nil ? try LambdaErrorEnvelope(from: decoder) : LambdaErrorEnvelope()
    }
}

/// One entry of `data`.
private struct LambdaEntry: Decodable {
    var isObject = true
    var instanceType: LambdaInstanceType?
    /// nil when the field is present but not a list; missing or null is an empty list.
    var regions: [LambdaRegion]? = []

    private enum CodingKeys: String, CodingKey {
        case instanceType = "instance_type"
        case regions = "regions_with_capacity_available"
    }

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: CodingKeys.self) else {
            isObject = false
            return
        }
        instanceType = container.lenientObject(.instanceType).map(LambdaInstanceType.init)
        if container.contains(.regions), (try? container.decodeNil(forKey: .regions)) == false {
            regions = try? container.decode([LambdaRegion].self, forKey: .regions)
        }
    }
}

private struct LambdaInstanceType {
    var name: String?
    var description: String?
    var gpuDescription: String?
    var priceCents: LenientAmount
    var vcpus: Double?
    var memoryGiB: Double?
    var storageGiB: Double?
    var gpus: Int?

    init(_ container: KeyedDecodingContainer<JSONKey>) {
        name = container.lenientString(JSONKey("name"))
        description = container.lenientString(JSONKey("description"))
        gpuDescription = container.lenientString(JSONKey("gpu_description"))
        priceCents = container.lenientCents(JSONKey("price_cents_per_hour"))
        let specs = container.lenientObject(JSONKey("specs"))
        vcpus = specs?.lenientDouble(JSONKey("vcpus"))
        memoryGiB = specs?.lenientDouble(JSONKey("memory_gib"))
        storageGiB = specs?.lenientDouble(JSONKey("storage_gib"))
        gpus = specs?.lenientInt(JSONKey("gpus"))
    }
}

private struct LambdaRegion: Decodable {
    var name: String?
    var description: String?

    private enum CodingKeys: String, CodingKey {
        case name, description
    }

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: CodingKeys.self) else { return }
        name = container.lenientString(.name).flatMap { $0.isEmpty ? nil : $0 }
        description = container.lenientString(.description)
    }
}
