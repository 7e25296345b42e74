import Broker
import BrokerCore
import Foundation

/// A job spec pasted or uploaded on the quote page, read as the API reads one: JSON or YAML,
/// then validated field by field. What is wrong comes back in the parser's words.
public struct SpecInput: Sendable {
    public var spec: JobSpec
    /// The spec as JSON, what a submission stores the hash of.
    public var json: [UInt8]

    /// The largest spec read, as the API's `POST /v1/quotes` and `POST /v1/jobs` take.
    public static let maximumBytes = 256 * 1024

    public enum Problem: Error, Sendable, Equatable {
        case empty
        case tooLarge
        /// The text is neither JSON nor YAML.
        case syntax(String)
        /// Fields that are wrong: "field: message" each.
        case fields([String])

        public var messages: [String] {
            switch self {
            case .empty: ["Paste a job spec (YAML or JSON) or choose a file."]
            case .tooLarge: ["A job spec is at most \(SpecInput.maximumBytes / 1024) KiB."]
            case .syntax(let message): [message]
            case .fields(let messages): messages
            }
        }
    }

    public static func read(_ text: String, catalog: GPUCatalog, now: Date) throws(Problem) -> SpecInput {
        guard !text.allSatisfy(\.isWhitespace) else { throw .empty }
        guard text.utf8.count <= maximumBytes else { throw .tooLarge }
        let json: [UInt8]
        do {
            json = try JobSpecDocument.json(from: text)
        } catch {
            throw .syntax(error.description)
        }
        do {
            return SpecInput(spec: try JobSpec.decode(json: json, catalog: catalog, now: now), json: json)
        } catch {
            throw .fields(error.errors.map(\.description))
        }
    }
}
