import BrokerCore
import Foundation
import Hummingbird

/// Encodes API answers: snake_case keys are spelled out by each type's CodingKeys, times are
/// RFC 3339 in UTC, output is compact.
///
/// The answers the API sends most (searches, quotes) are ``JSONWritable``: they write themselves
/// straight into bytes, the same JSON several times faster than the encoder.
struct JSONResponse<Value: Sendable>: ResponseGenerator {
    var value: Value
    var status: HTTPResponse.Status
    private let encode: @Sendable (Value) throws -> [UInt8]

    init(_ value: Value, status: HTTPResponse.Status = .ok) where Value: Encodable {
        self.init(value, status: status) { value in
            if let writable = value as? any JSONWritable { return Self.written(writable) }
            return Array(try sharedEncoder.encode(value))
        }
    }

    /// A value that only writes itself (it has no `Encodable` encoding).
    init(written value: Value, status: HTTPResponse.Status = .ok) where Value: JSONWritable {
        self.init(value, status: status) { Self.written($0) }
    }

    private init(_ value: Value, status: HTTPResponse.Status, encode: @escaping @Sendable (Value) throws -> [UInt8]) {
        self.value = value
        self.status = status
        self.encode = encode
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encode(value))))
    }

    private static func written(_ value: any JSONWritable) -> [UInt8] {
        var writer = JSONWriter(capacity: 16 << 10)
        value.write(to: &writer)
        return writer.bytes
    }
}

/// ``JSONResponse``'s encoder, made once: its options never change, and encoding is thread-safe.
private let sharedEncoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.withoutEscapingSlashes]
    return encoder
}()
