import BrokerCore
import Foundation
import Yams

/// A job spec file as the API takes it: JSON as is, YAML (`.yaml`, `.yml`) turned into JSON.
/// The server validates it; this only reads the file.
enum JobSpecFile {
    static func jsonBody(at path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("cannot read \(path)")
        }
        guard path.hasSuffix(".yaml") || path.hasSuffix(".yml") else { return Array(data) }
        do {
            let text = String(decoding: data, as: UTF8.self)
            let document = try Yams.load(yaml: text, Self.resolver) ?? [String: Any]()
            return Array(try JSONSerialization.data(withJSONObject: jsonCompatible(document)))
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("\(path): not valid YAML: \(error)")
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
