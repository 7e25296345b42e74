import BrokerCore
import CurlHTTP
import Foundation

/// Shadeform's instance types: one API over many clouds' GPU machines.
///
/// `GET {base}/v1/instances/types`, header `X-API-KEY: <key>`; the answer is
/// `{"instance_types": [...]}`, each with its cloud, configuration, `hourly_price` in cents for the
/// whole instance and its `availability` per region. One on-demand offer per type and region where
/// `available` is true.
public struct ShadeformPricingSource: PricingSource {
    public let providerID: String
    /// The API root without a trailing slash, e.g. `https://api.shadeform.ai`.
    public let baseURL: String
    public let apiKey: String?
    public let catalog: GPUCatalog

    public init(providerID: String, baseURL: String, apiKey: String?, catalog: GPUCatalog = .standard) {
        self.providerID = providerID
        self.baseURL = ProviderJSON.trimmedBase(baseURL)
        self.apiKey = apiKey
        self.catalog = catalog
    }

    /// `GET /v1/instances/types`.
    public func pricingRequest() -> HTTPRequest {
        ProviderJSON.pricingGET("\(baseURL)/v1/instances/types", apiKey: apiKey) { ("X-API-KEY", $0) }
    }

    public func fetchOffers(transport: any HTTPTransport, now: Date) async throws(ProviderError) -> PricingSnapshot {
        let body = try await transport.fetchBody(pricingRequest(), errors: ShadeformErrorEnvelope.self)
        return try Self.parse(body, providerID: providerID, catalog: catalog, now: now)
    }

    /// Turns an instance-types answer into offers.
    ///
    /// - Throws: ``ProviderError/api(code:message:)`` for an error answer;
    ///   ``ProviderError/malformed(_:)`` when the body is not JSON or has no `instance_types` array.
    public static func parse(
        _ body: [UInt8],
        providerID: String,
        catalog: GPUCatalog,
        now: Date
    ) throws(ProviderError) -> PricingSnapshot {
        let answer = try ProviderJSON.decode(ShadeformAnswer.self, from: body)
        guard let records = answer.instanceTypes else {
            if let error = answer.envelope.error { throw error }
            throw .malformed("missing 'instance_types'")
        }
        return PricingSnapshot(records, catalog: catalog) { record, resolver in
            offersFor(record, providerID: providerID, now: now, resolver: &resolver)
        }
    }

    /// Region-name prefixes that say the country, for regions whose display name does not.
    static let countriesByRegionPrefix: [(prefix: String, country: String)] = [
        ("na-us-", "US"), ("us-", "US"), ("usa-", "US"), ("na-ca-", "CA"), ("ca-", "CA"), ("canada", "CA"),
        ("eu-de-", "DE"), ("de-", "DE"), ("germany", "DE"), ("eu-fi-", "FI"), ("fi-", "FI"), ("finland", "FI"),
        ("eu-no-", "NO"), ("norway", "NO"), ("eu-se-", "SE"), ("se-", "SE"), ("eu-is-", "IS"), ("is-", "IS"),
        ("iceland", "IS"), ("eu-nl-", "NL"), ("nl-", "NL"), ("eu-fr-", "FR"), ("fr-", "FR"), ("eu-gb-", "GB"),
        ("uk-", "GB"), ("gb-", "GB"), ("jp-", "JP"), ("japan", "JP"), ("sg-", "SG"), ("au-", "AU"), ("in-", "IN"),
    ]

    /// The country of a region: from its display name when that clearly names one ("US, Virginia",
    /// "Helsinki, Finland"), else from the region name's prefix ("us-east-1"), else nil.
    static func country(region: String, displayName: String?) -> String? {
        if let displayName {
            let parts = CountryNames.parts(of: displayName)
            if let first = parts.first {
                if let code = CountryNames.code(forName: first) { return code }
                if CountryNames.isAlpha2Code(first), CountryNames.knownCodes.contains(first) { return first }
            }
            // The last part may be a US state ("Santa Clara, CA"): only a country name counts there.
            if parts.count > 1, let last = parts.last, !CountryNames.isAlpha2Code(last),
                let code = CountryNames.code(forName: last)
            {
                return code
            }
        }
        let lowered = region.lowercased()
        return countriesByRegionPrefix.first { lowered.hasPrefix($0.prefix) }?.country
    }

    private static func offersFor(
        _ record: ShadeformInstanceType,
        providerID: String,
        now: Date,
        resolver: inout GPUResolver
    ) -> RecordOutcome {
        guard record.isObject else { return .skipped(SkippedRecord(nativeID: nil, reason: "record is not an object")) }
        guard let cloud = record.cloud, let shadeType = record.shadeInstanceType else {
            let partial = record.cloud ?? record.shadeInstanceType
            return .skipped(SkippedRecord(nativeID: partial, reason: "no cloud or shade_instance_type"))
        }
        let typeID = "\(cloud):\(shadeType)"
        func skip(_ reason: String) -> RecordOutcome { .skipped(SkippedRecord(nativeID: typeID, reason: reason)) }
        let price: Money
        switch record.hourlyPriceCents {
        case .missing: return skip("no hourly_price")
        case .invalid: return skip("hourly_price is not a number")
        case .amount(let amount):
            guard amount >= .zero else { return skip("negative hourly_price") }
            price = amount
        }
        guard let configuration = record.configuration else { return skip("no configuration") }
        guard let count = configuration.numGPUs else { return skip("no num_gpus") }
        guard count > 0 else { return skip("num_gpus is \(count)") }
        guard let availability = record.availability else { return skip("availability is not a list") }
        // Nodes boot a script that runs the job's container with Docker: that needs a VM.
        if let deployment = record.deploymentType, deployment != "vm" {
            return skip("deployment_type '\(deployment)' is not a VM")
        }

        let memoryGB = configuration.vramPerGPU.flatMap { $0 > 0 ? $0 : nil }
        var names: [String] = []
        let gpuType = configuration.gpuType?.trimmingCharacters(in: .whitespaces) ?? ""
        if !gpuType.isEmpty {
            if let interconnect = configuration.interconnect, !interconnect.isEmpty {
                names.append("\(gpuType) \(interconnect)")
            }
            names.append(gpuType)
        }
        names.append(shadeType)
        let gpu = resolver.resolve(names, memoryGB: memoryGB, rawName: gpuType.isEmpty ? shadeType : gpuType)
        let interconnect = Self.interconnect(configuration, gpus: count)

        var offers: [Offer] = []
        for slot in availability where slot.available == true {
            guard let region = slot.region else { continue }
            offers.append(
                Offer(
                    id: OfferID(provider: providerID, native: "\(typeID):\(region)"),
                    gpu: gpu,
                    gpuCount: count,
                    gpuMemoryGB: memoryGB ?? gpu.model?.memoryGB ?? 0,
                    interconnect: interconnect,
                    vcpus: ProviderJSON.whole(configuration.vcpus),
                    memoryGB: ProviderJSON.whole(configuration.memoryGB),
                    diskGB: ProviderJSON.whole(configuration.storageGB),
                    region: region,
                    country: country(region: region, displayName: slot.displayName),
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

/// `{"instance_types": [...]}`, or an error answer.
private struct ShadeformAnswer: Decodable {
    var instanceTypes: [ShadeformInstanceType]?
    var envelope: ShadeformErrorEnvelope

    private enum CodingKeys: String, CodingKey {
        case instanceTypes = "instance_types"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        instanceTypes = try container.decodeIfPresent([ShadeformInstanceType].self, forKey: .instanceTypes)
        envelope = instanceTypes == nil ? try ShadeformErrorEnvelope(from: decoder) : ShadeformErrorEnvelope()
    }
}

private struct ShadeformInstanceType: Decodable {
    var isObject = true
    var cloud: String?
    var shadeInstanceType: String?
    var configuration: ShadeformConfiguration?
    var hourlyPriceCents = LenientAmount.missing
    /// nil when present but not a list; missing or null is an empty list.
    var availability: [ShadeformAvailability]? = []
    /// `vm`, `container` or `baremetal`; nil when not given.
    var deploymentType: String?

    private enum CodingKeys: String, CodingKey {
        case cloud
        case shadeInstanceType = "shade_instance_type"
        case configuration
        case hourlyPrice = "hourly_price"
        case availability
        case deploymentType = "deployment_type"
    }

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: CodingKeys.self) else {
            isObject = false
            return
        }
        cloud = container.lenientString(.cloud).flatMap { $0.isEmpty ? nil : $0 }
        shadeInstanceType = container.lenientString(.shadeInstanceType).flatMap { $0.isEmpty ? nil : $0 }
        configuration = container.lenientObject(.configuration).map(ShadeformConfiguration.init)
        hourlyPriceCents = container.lenientCents(.hourlyPrice)
        deploymentType = container.lenientString(.deploymentType).flatMap { $0.isEmpty ? nil : $0 }
        if container.contains(.availability), (try? container.decodeNil(forKey: .availability)) == false {
            availability = try? container.decode([ShadeformAvailability].self, forKey: .availability)
        }
    }
}

struct ShadeformConfiguration {
    var numGPUs: Int?
    var gpuType: String?
    var vramPerGPU: Int?
    var vcpus: Double?
    var memoryGB: Double?
    var storageGB: Double?
    var interconnect: String?
    var nvlink: Bool?

    init(_ container: KeyedDecodingContainer<JSONKey>) {
        numGPUs = container.lenientInt(JSONKey("num_gpus"))
        gpuType = container.lenientString(JSONKey("gpu_type"))
        vramPerGPU = container.lenientDouble(JSONKey("vram_per_gpu_in_gb")).map { ProviderJSON.whole($0) }
        vcpus = container.lenientDouble(JSONKey("vcpus"))
        memoryGB = container.lenientDouble(JSONKey("memory_in_gb"))
        storageGB = container.lenientDouble(JSONKey("storage_in_gb"))
        interconnect = container.lenientString(JSONKey("interconnect"))
        nvlink = container.lenientBool(JSONKey("nvlink"))
    }
}

private struct ShadeformAvailability: Decodable {
    var region: String?
    var available: Bool?
    var displayName: String?

    private enum CodingKeys: String, CodingKey {
        case region, available
        case displayName = "display_name"
    }

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: CodingKeys.self) else { return }
        region = container.lenientString(.region).flatMap { $0.isEmpty ? nil : $0 }
        available = container.lenientBool(.available)
        displayName = container.lenientString(.displayName)
    }
}

extension ShadeformPricingSource {
    /// The broker's interconnect words (`nvlink`, `pcie`, nil for one GPU) for Shadeform's
    /// configuration: `nvlink: true`, or SXM boards (`sxm4`, `sxm5`: NVLink through NVSwitch)
    /// with several GPUs, are `nvlink`; any other multi-GPU machine is `pcie`.
    static func interconnect(_ configuration: ShadeformConfiguration, gpus: Int) -> String? {
        guard gpus > 1 else { return nil }
        let board = configuration.interconnect?.lowercased() ?? ""
        return configuration.nvlink == true || board.hasPrefix("sxm") || board == "nvlink" ? "nvlink" : "pcie"
    }
}
