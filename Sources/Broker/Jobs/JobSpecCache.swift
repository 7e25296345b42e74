import BrokerCore
import Store
import Synchronization

/// Each job's spec, decoded once and kept as the API writes it. A spec never changes after
/// submit, so an entry is never stale; job lists then cost a read, not a decode and an encode
/// per job. Memory is bounded: when `capacity` entries are held, the cache starts over.
public final class JobSpecCache: Sendable {
    /// A job's spec as JSON (``JobSpec/storedJSON()``: what a spec stored now reads as) and the
    /// shards its dataset is cut into.
    public struct Entry: Sendable {
        public let json: [UInt8]
        public let shards: Int
    }

    private let catalog: GPUCatalog
    private let capacity: Int
    /// Nil for a stored spec that no longer decodes (say, a GPU since dropped from the catalog).
    private let entries = Mutex<[String: Entry?]>([:])

    public init(catalog: GPUCatalog, capacity: Int = 10_000) {
        self.catalog = catalog
        self.capacity = capacity
    }

    /// `job`'s spec, or nil when its stored JSON no longer decodes against the catalog.
    public func entry(for job: JobRecord) -> Entry? {
        if let cached = entries.withLock({ $0[job.id] }) { return cached }
        let entry = Self.render(job, catalog: catalog)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[job.id] = entry
        }
        return entry
    }

    private static func render(_ job: JobRecord, catalog: GPUCatalog) -> Entry? {
        guard let spec = try? job.decodedSpec(catalog: catalog), let json = try? spec.storedJSON() else { return nil }
        return Entry(json: json, shards: spec.dataset?.shards ?? 0)
    }
}
