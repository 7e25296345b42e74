import Foundation
import Yams

/// Reads one YAML mapping strictly: every key it is asked for is checked for type and range,
/// environment overrides win over the file, and ``finish()`` rejects keys nobody asked for.
///
/// A scalar at key path `a.b.c` (list items by index: `providers.0.id`) is overridden by the
/// environment variable `GRIDBROKER_A_B_C`.
struct ConfigurationReader {
    private let source: String
    private let mapping: Node.Mapping?
    private let path: [String]
    private let environment: [String: String]
    private let line: Int?
    private var consumed: Set<String> = []

    init(source: String, node: Node?, path: [String] = [], environment: [String: String]) throws {
        self.source = source
        self.path = path
        self.environment = environment
        self.line = node?.mark?.line
        switch node {
        case nil:
            self.mapping = nil
        case .scalar(let scalar)? where Self.isNull(scalar):
            self.mapping = nil
        case .mapping(let mapping)?:
            self.mapping = mapping
        case let other?:
            throw ConfigurationError(
                source: source, line: other.mark?.line, keyPath: Self.display(path),
                message: "expected a mapping of keys to values")
        }
    }

    // MARK: Scalars

    /// A string value; `nil` when absent and no default is given.
    mutating func string(_ key: String) throws -> String? {
        try scalar(key)?.text
    }

    mutating func string(_ key: String, default value: String) throws -> String {
        try string(key) ?? value
    }

    mutating func int(_ key: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        try int(key, range: range) ?? value
    }

    /// The whole number at `key` within `range`, or nil when the key is absent.
    mutating func int(_ key: String, range: ClosedRange<Int>) throws -> Int? {
        guard let scalar = try scalar(key) else { return nil }
        guard let number = Int(scalar.text.trimmingCharacters(in: .whitespaces)) else {
            throw scalar.error("expected a whole number, got '\(scalar.text)'")
        }
        guard range.contains(number) else {
            throw scalar.error("\(number) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    mutating func bool(_ key: String, default value: Bool) throws -> Bool {
        guard let scalar = try scalar(key) else { return value }
        switch scalar.text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw scalar.error("expected true or false, got '\(scalar.text)'")
        }
    }

    /// A value parsed by `parse`, which returns nil for text it does not accept; `expected`
    /// describes what was wanted, for the error.
    mutating func value<T>(_ key: String, expected: String, parse: (String) -> T?) throws -> T? {
        guard let scalar = try scalar(key) else { return nil }
        guard let value = parse(scalar.text) else {
            throw scalar.error("expected \(expected), got '\(scalar.text)'")
        }
        return value
    }

    /// A list of strings; the environment override is comma-separated.
    mutating func stringList(_ key: String, default value: [String]) throws -> [String] {
        consumed.insert(key)
        if let override = environment[envName(key)] {
            return override.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        guard let node = mapping?[key] else { return value }
        guard case .sequence(let sequence) = node else {
            throw error(at: node, key: key, "expected a list")
        }
        return try sequence.map { item in
            guard case .scalar(let scalar) = item else {
                throw error(at: item, key: key, "expected a list of strings")
            }
            return scalar.string
        }
    }

    // MARK: Nested

    /// The nested mapping at `key` (empty when absent).
    mutating func nested(_ key: String) throws -> ConfigurationReader {
        consumed.insert(key)
        return try ConfigurationReader(
            source: source, node: mapping?[key], path: path + [key], environment: environment)
    }

    /// One reader per item of the list of mappings at `key` (none when absent).
    mutating func list(_ key: String) throws -> [ConfigurationReader] {
        consumed.insert(key)
        guard let node = mapping?[key] else { return [] }
        guard case .sequence(let sequence) = node else {
            throw error(at: node, key: key, "expected a list")
        }
        return try sequence.enumerated().map { index, item in
            try ConfigurationReader(
                source: source, node: item, path: path + [key, String(index)], environment: environment)
        }
    }

    /// Every key of the mapping, in file order, all marked as read (for free-form tables).
    mutating func keys() -> [String] {
        let keys = mapping?.keys.compactMap(\.string) ?? []
        consumed.formUnion(keys)
        return keys
    }

    /// Throws for the first key in the mapping that no one read: a typo must not pass silently.
    func finish() throws {
        guard let mapping else { return }
        for (keyNode, _) in mapping {
            let key = keyNode.string ?? "?"
            if !consumed.contains(key) {
                throw ConfigurationError(
                    source: source, line: keyNode.mark?.line, keyPath: Self.display(path + [key]),
                    message: "unknown key")
            }
        }
    }

    /// An error about this mapping as a whole (a rule that spans keys).
    func error(_ message: String, key: String? = nil) -> ConfigurationError {
        let keyPath = key.map { path + [$0] } ?? path
        return ConfigurationError(
            source: source, line: key.flatMap { mapping?[$0]?.mark?.line } ?? line,
            keyPath: Self.display(keyPath), message: message)
    }

    // MARK: Helpers

    /// A scalar's text and how to blame it.
    struct Scalar {
        var text: String
        var error: (String) -> ConfigurationError
    }

    private mutating func scalar(_ key: String) throws -> Scalar? {
        consumed.insert(key)
        let keyPath = Self.display(path + [key])
        let variable = envName(key)
        if let override = environment[variable] {
            return Scalar(text: override) { message in
                ConfigurationError(source: variable, keyPath: keyPath, message: message)
            }
        }
        guard let node = mapping?[key] else { return nil }
        guard case .scalar(let scalar) = node else {
            throw error(at: node, key: key, "expected a single value")
        }
        if Self.isNull(scalar) { return nil }
        let (source, line) = (self.source, node.mark?.line)
        return Scalar(text: scalar.string) { message in
            ConfigurationError(source: source, line: line, keyPath: keyPath, message: message)
        }
    }

    private func error(at node: Node, key: String, _ message: String) -> ConfigurationError {
        ConfigurationError(
            source: source, line: node.mark?.line, keyPath: Self.display(path + [key]), message: message)
    }

    private func envName(_ key: String) -> String {
        "GRIDBROKER_" + (path + [key]).joined(separator: "_").uppercased()
    }

    /// An empty value (`key:` with nothing after it) or YAML's null.
    private static func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// `providers.0.id` shown as `providers[0].id`.
    static func display(_ path: [String]) -> String {
        path.reduce(into: "") { text, component in
            if Int(component) != nil {
                text += "[\(component)]"
            } else {
                text += text.isEmpty ? component : ".\(component)"
            }
        }
    }
}
