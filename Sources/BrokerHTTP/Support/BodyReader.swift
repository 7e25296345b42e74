import BrokerCore
import Foundation
import Hummingbird

/// Reads a small JSON object body strictly, like ``QueryReader`` reads a query: each member is
/// checked as it is read, problems are collected with the member's name, and ``finish()``
/// rejects members nobody reads.
struct BodyReader {
    /// Admin bodies are a few fields.
    static let maximumBytes = 16 * 1024

    /// One member's value, as far as admin bodies care.
    private enum Value: Decodable {
        case null
        case bool(Bool)
        /// The number's exact decimal text.
        case number(String)
        case string(String)
        case object([String: Value])
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let bool = try? container.decode(Bool.self) {
                self = .bool(bool)
            } else if let number = try? container.decode(Decimal.self) {
                self = .number(number.description)
            } else if let string = try? container.decode(String.self) {
                self = .string(string)
            } else if let object = try? container.decode([String: Value].self) {
                self = .object(object)
            } else {
                self = .other
            }
        }

        /// Present and not null.
        var isPresent: Bool {
            if case .null = self { return false }
            return true
        }
    }

    private let members: [String: Value]
    private var read: Set<String> = []
    private var errors: [ProblemDetails.FieldError] = []

    static func read(_ request: Request) async throws -> BodyReader {
        let body = try await request.body.collect(upTo: maximumBytes)
        guard let members = try? JSONDecoder().decode([String: Value].self, from: Data(body.readableBytesView)) else {
            throw ProblemDetails(status: .badRequest, detail: "the body must be a JSON object")
        }
        return BodyReader(members: members)
    }

    private init(members: [String: Value]) {
        self.members = members
    }

    /// Whether `name` is present (possibly null).
    func has(_ name: String) -> Bool { members[name] != nil }

    /// A non-empty string of at most `maximumLength` characters, counted as Unicode code points (as
    /// JSON Schema's `maxLength` counts them; one character on screen can hide any number of
    /// combining marks).
    mutating func string(_ name: String, required: Bool = false, maximumLength: Int = 200) -> String? {
        read.insert(name)
        guard let value = members[name], value.isPresent else {
            if required { report(name, "is required") }
            return nil
        }
        guard case .string(let text) = value, !text.isEmpty, text.unicodeScalars.count <= maximumLength else {
            report(name, "must be a non-empty string of at most \(maximumLength) characters")
            return nil
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            // NUL cuts SQLite's text functions short, escapes repaint the CLI's terminal.
            report(name, "must not contain control characters")
            return nil
        }
        return text
    }

    /// An amount of US dollars (a JSON number, zero or more); nil when absent or null.
    mutating func dollars(_ name: String) -> Money? {
        read.insert(name)
        guard let value = members[name], value.isPresent else { return nil }
        guard case .number(let text) = value, let money = try? Money(parsing: text), money >= .zero else {
            report(name, "must be an amount in USD such as 500 or 12.50, or null")
            return nil
        }
        return money
    }

    /// A whole number in `range`; nil when absent or null.
    mutating func int(_ name: String, range: ClosedRange<Int>) -> Int? {
        read.insert(name)
        guard let value = members[name], value.isPresent else { return nil }
        guard case .number(let text) = value, let number = Int(text), range.contains(number) else {
            report(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return number
    }

    /// An object of amounts in USD by name (`{"A100-80GB": 1.20}`); empty when absent or null.
    /// Each bad member is reported as `name.member`.
    mutating func dollarsByName(_ name: String) -> [String: Money] {
        read.insert(name)
        guard let value = members[name], value.isPresent else { return [:] }
        guard case .object(let entries) = value else {
            report(name, "must be an object of amounts in USD by name, such as {\"A100-80GB\": 1.20}")
            return [:]
        }
        var amounts: [String: Money] = [:]
        for (key, entry) in entries {
            guard case .number(let text) = entry, let money = try? Money(parsing: text), money >= .zero else {
                report("\(name).\(key)", "must be an amount in USD such as 1.20")
                continue
            }
            amounts[key] = money
        }
        return amounts
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type = T.self) -> T?
    where T.RawValue == String {
        guard let text = string(name) else { return nil }
        guard let value = T(rawValue: text) else {
            report(name, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
            return nil
        }
        return value
    }

    mutating func report(_ name: String, _ message: String) {
        errors.append(.init(field: name, message: message))
    }

    /// Throws a 400 listing every problem, unknown members included.
    func finish() throws {
        var errors = errors
        for key in members.keys where !read.contains(key) {
            errors.append(.init(field: key, message: "unknown field"))
        }
        guard errors.isEmpty else {
            throw ProblemDetails(
                status: .badRequest, detail: "invalid request body", errors: errors.sorted { $0.field < $1.field })
        }
    }
}
