#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Any JSON value, for reading the small, free-form request bodies providers accept (Vast's query,
/// RunPod's GraphQL envelope, the control API). Responses are never built from it.
enum LooseJSON: Decodable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([LooseJSON])
    case object([String: LooseJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([LooseJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: LooseJSON].self))
        }
    }

    /// Parses `bytes`, or returns nil when they are not JSON.
    static func parse(_ bytes: [UInt8]) -> LooseJSON? {
        try? JSONDecoder().decode(LooseJSON.self, from: Data(bytes))
    }

    static func parse(_ text: String) -> LooseJSON? {
        parse(Array(text.utf8))
    }

    subscript(key: String) -> LooseJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var objectValue: [String: LooseJSON]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The value as a number; numeric strings ("0.98") count, as Vast's query syntax allows both.
    var numberValue: Double? {
        switch self {
        case .number(let value): value
        case .string(let text): Double(text)
        case .bool(let value): value ? 1 : 0
        default: nil
        }
    }

    var stringValue: String? {
        switch self {
        case .string(let text): text
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .bool(let value): value ? "true" : "false"
        default: nil
        }
    }

    var boolValue: Bool? {
        switch self {
        case .bool(let value): value
        case .string(let text): ["true", "1", "yes"].contains(text.lowercased())
        case .number(let value): value != 0
        default: nil
        }
    }
}
