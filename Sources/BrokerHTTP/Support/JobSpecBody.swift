import BrokerCore
import Foundation
import Hummingbird

/// A job spec in a request body (`POST /v1/quotes`, `POST /v1/jobs`): read strictly, every
/// problem reported with its field.
struct JobSpecBody {
    /// Job specs are small; anything larger is not one.
    static let maximumBytes = 256 * 1024

    let bytes: [UInt8]
    let spec: JobSpec

    static func read(_ request: Request, catalog: GPUCatalog, now: Date) async throws -> JobSpecBody {
        let body = try await request.body.collect(upTo: maximumBytes)
        let bytes = Array(body.readableBytesView)
        do {
            return JobSpecBody(bytes: bytes, spec: try JobSpec.decode(json: bytes, catalog: catalog, now: now))
        } catch {
            throw ProblemDetails(
                status: .badRequest, detail: "invalid job spec",
                errors: error.errors.map { .init(field: $0.field, message: $0.message) })
        }
    }
}
