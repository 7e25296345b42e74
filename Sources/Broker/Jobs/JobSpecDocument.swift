import BrokerCore
import Foundation
import Yams

/// A job spec as people write it, JSON or YAML, turned into the JSON the spec parser reads. Only
/// the syntax is read here; ``BrokerCore/JobSpec`` validates the fields.
public enum JobSpecDocument {
    /// Why a document is not JSON or YAML.
    public struct SyntaxError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// `text` as JSON bytes: JSON (it starts with `{`) as is, anything else read as YAML.
    public static func json(from text: String) throws(SyntaxError) -> [UInt8] {
        if text.drop(while: \.isWhitespace).first == "{" { return Array(text.utf8) }
        return try json(fromYAML: text)
    }

    /// YAML `text` as JSON bytes.
    public static func json(fromYAML text: String) throws(SyntaxError) -> [UInt8] {
        do {
            let document = try Yams.load(yaml: text, resolver) ?? [String: Any]()
            return Array(try JSONSerialization.data(withJSONObject: jsonCompatible(document)))
        } catch {
            throw SyntaxError(description: "not valid YAML: \(error)")
        }
    }

    /// YAML 1.2's booleans only: under YAML 1.1's, Norway's country code `NO` (and `yes`, `on`, …)
    /// would silently become `false`.
    private static let resolver = Resolver.default.replacing(
        try! Resolver.Rule(.bool, "^(?:true|True|TRUE|false|False|FALSE)$"))

    /// YAML timestamps become RFC 3339 strings; everything else is already JSON-shaped.
    private static func jsonCompatible(_ value: Any) -> Any {
        switch value {
        case let date as Date: RFC3339.string(from: date)
        case let list as [Any]: list.map(jsonCompatible)
        case let map as [String: Any]: map.mapValues(jsonCompatible)
        default: value
        }
    }
}
