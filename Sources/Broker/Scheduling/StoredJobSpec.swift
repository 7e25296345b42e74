import BrokerCore
import Foundation
import Store

extension JobRecord {
    /// The job's spec as submitted. Read as of submission, so a deadline that has passed since
    /// still reads (the scheduler decides what a passed deadline means).
    public func decodedSpec(catalog: GPUCatalog) throws(JobSpecError) -> JobSpec {
        try JobSpec.decode(json: Array(spec.utf8), catalog: catalog, now: createdAt)
    }
}

extension JobSpec {
    /// The spec as the broker stores and shows it: compact JSON, keys sorted, `/` unescaped.
    /// ``JobRecord/decodedSpec(catalog:)`` reads it back.
    public func storedJSON() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}
