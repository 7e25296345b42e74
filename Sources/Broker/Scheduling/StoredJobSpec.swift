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
