import BrokerCore
import Foundation
import Hummingbird

/// Encodes API answers: snake_case keys are spelled out by each type's CodingKeys, times are
/// RFC 3339 in UTC, output is compact.
///
/// The answers the API sends most (searches, quotes) are ``JSONWritable``: they write themselves
/// straight into bytes, the same JSON several times faster than the encoder.
struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    var value: Value
    var status: HTTPResponse.Status = .ok

    init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body: ByteBuffer
        if let writable = value as? any JSONWritable {
            var writer = JSONWriter(capacity: 16 << 10)
            writable.write(to: &writer)
            body = ByteBuffer(bytes: writer.bytes)
        } else {
            body = ByteBuffer(bytes: try sharedEncoder.encode(value))
        }
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }
}

/// ``JSONResponse``'s encoder, made once: its options never change, and encoding is thread-safe.
private let sharedEncoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.withoutEscapingSlashes]
    return encoder
}()
