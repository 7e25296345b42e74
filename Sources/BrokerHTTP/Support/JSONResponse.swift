import BrokerCore
import Foundation
import Hummingbird

/// Encodes API answers: snake_case keys are spelled out by each type's CodingKeys, times are
/// RFC 3339 in UTC, output is compact.
struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    var value: Value
    var status: HTTPResponse.Status = .ok

    init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(json: try sharedEncoder.encode(value), status: status)
    }
}

/// ``JSONResponse``'s encoder, made once: its options never change, and encoding is thread-safe.
private let sharedEncoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.withoutEscapingSlashes]
    return encoder
}()

/// The answers the API sends most (searches, quotes, job lists), written by their own
/// ``JSONWritable`` code: the same JSON as ``JSONResponse`` would send, several times faster.
struct WrittenJSONResponse<Value: JSONWritable>: ResponseGenerator {
    var value: Value
    var status: HTTPResponse.Status = .ok

    init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var writer = JSONWriter(capacity: 16 << 10)
        value.write(to: &writer)
        return Response(json: writer.bytes, status: status)
    }
}

extension Response {
    fileprivate init(json: some Sequence<UInt8>, status: HTTPResponse.Status) {
        self.init(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }
}
