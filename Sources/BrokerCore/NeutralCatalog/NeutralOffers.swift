#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The neutral offer catalog of `shared/bench` (JSON lines that gridbroker and other catalogs can
/// all be put to), read into ``Offer``s for an ``OfferBook``:
///
///     {"provider":"aws","instance_type":"g.8x-l40s-64c128g-v4","gpu_name":"L40S","gpu_count":8,
///      "gpu_memory_gb":48,"vcpus":64,"memory_gb":128,"disk_gb":400,"region":"eu-west-1",
///      "country":"IE","price_per_hour_usd":13.3889,"spot":false}
///
/// `gpu_name` resolves through the catalog by name alone, so that one name always means one model
/// (in these files it is already a canonical name, in the file's own spelling); an unknown name is
/// kept as an unknown GPU. Prices are read exactly from their decimal digits; `country` may be null.
///
/// The book breaks price ties by offer id, and the neutral queries break them by (provider,
/// instance type, region): so the id is the provider and, as the native part, the instance type,
/// the region and the line number joined by NUL, which sorts before every other character. Ids
/// then order exactly like (provider, instance type, region), even when one name is a prefix of
/// another, and stay unique when a line repeats another.
public enum NeutralOffers {
    /// The offers of a neutral catalog file's text, in file order.
    public static func parse(
        _ text: [UInt8], catalog: GPUCatalog = .standard, seenAt: Date
    ) throws(NeutralCatalogError) -> [Offer] {
        try NeutralJSONLines.read(text) { reader, object, line in
            offer(&reader, &object, line: line, catalog: catalog, seenAt: seenAt)
        }
    }

    /// The instance type an offer read by ``parse(_:catalog:seenAt:)`` came from.
    public static func instanceType(of id: OfferID) -> Substring {
        id.native.prefix { $0 != "\0" }
    }

    private static func offer(
        _ reader: inout JSONFieldReader, _ object: inout JSONObjectReader, line: Int, catalog: GPUCatalog,
        seenAt: Date
    ) -> Offer? {
        let provider = reader.required("provider", of: &object) { reader, field -> String? in
            guard let name = reader.neutralName(field) else { return nil }
            guard !name.contains(":") else {
                reader.report(field.path, "must not contain ':'")
                return nil
            }
            return name
        }
        let instanceType = reader.required("instance_type", of: &object) { $0.neutralName($1) }
        let gpuName = reader.required("gpu_name", of: &object) { $0.text($1) }
        let gpuCount = reader.required("gpu_count", of: &object) { $0.integer($1, in: 1...1024) }
        let gpuMemoryGB = reader.required("gpu_memory_gb", of: &object) { $0.integer($1, in: 0...100_000) }
        let vcpus = reader.required("vcpus", of: &object) { $0.integer($1, in: 0...1_000_000) }
        let memoryGB = reader.required("memory_gb", of: &object) { $0.integer($1, in: 0...100_000_000) }
        let diskGB = reader.required("disk_gb", of: &object) { $0.integer($1, in: 0...100_000_000) }
        let region = reader.required("region", of: &object) { $0.neutralName($1) }
        let country = reader.optional("country", of: &object) { $0.text($1) }
        let price = reader.required("price_per_hour_usd", of: &object) { $0.positiveMoney($1) }
        let spot = reader.required("spot", of: &object) { $0.bool($1) }
        guard let provider, let instanceType, let gpuName, let gpuCount, let gpuMemoryGB, let vcpus, let memoryGB,
            let diskGB, let region, let price, let spot
        else { return nil }
        return Offer(
            id: OfferID(provider: provider, native: "\(instanceType)\0\(region)\0\(line)"),
            gpu: GPUName(resolving: gpuName, in: catalog), gpuCount: gpuCount, gpuMemoryGB: gpuMemoryGB,
            interconnect: nil, vcpus: vcpus, memoryGB: memoryGB, diskGB: diskGB, region: region, country: country,
            market: spot ? .spot : .onDemand, pricePerHour: price, available: 1, reliability: nil,
            firstSeenAt: seenAt, lastSeenAt: seenAt, raw: nil)
    }
}
