import Broker
import Foundation

/// A job spec file as the API takes it: JSON as is, YAML (`.yaml`, `.yml`) turned into JSON.
/// The server validates it; this only reads the file.
enum JobSpecFile {
    static func jsonBody(at path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("cannot read \(path)")
        }
        guard path.hasSuffix(".yaml") || path.hasSuffix(".yml") else { return Array(data) }
        do {
            return try JobSpecDocument.json(fromYAML: String(decoding: data, as: UTF8.self))
        } catch {
            throw CommandFailure("\(path): \(error)")
        }
    }
}
