import BrokerCore
import Foundation
import Hummingbird

/// Encodes API answers: snake_case keys are spelled out by each type's CodingKeys, times are
/// RFC 3339 in UTC, output is compact.
///
/// The answers the API sends most (searches, quotes, jobs) are ``JSONWritable`` and go through
/// ``init(written:status:)``: they write themselves straight into bytes, the same JSON several
/// times faster than the encoder. Every other answer is `Encodable`.
struct JSONResponse<Value: Sendable>: ResponseGenerator {
    var value: Value
    var status: HTTPResponse.Status
    private let body: @Sendable (Value) throws -> ByteBuffer

    init(_ value: Value, status: HTTPResponse.Status = .ok) where Value: Encodable {
        self.init(value, status: status) { ByteBuffer(bytes: try sharedEncoder.encode($0)) }
    }

    init(written value: Value, status: HTTPResponse.Status = .ok) where Value: JSONWritable {
        self.init(value, status: status) { value in
            var writer = JSONWriter(capacity: 16 << 10)
            value.write(to: &writer)
            return ByteBuffer(bytes: writer.bytes)
        }
    }

    private init(_ value: Value, status: HTTPResponse.Status, body: @escaping @Sendable (Value) throws -> ByteBuffer) {
        self.value = value
        self.status = status
        self.body = body
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: try body(value)))
    }
}

/// ``JSONResponse``'s encoder, made once: its options never change, and encoding is thread-safe.
private let sharedEncoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.withoutEscapingSlashes]
    return encoder
}()
