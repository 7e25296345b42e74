import Foundation

/// The fields of an `application/x-www-form-urlencoded` body (or query): the first value of
/// each name, `+` read as a space.
public struct FormFields: Sendable, Equatable {
    public private(set) var values: [String: String]

    public init(_ encoded: String) {
        var values: [String: String] = [:]
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
            if values[name] == nil { values[name] = value }
        }
        self.values = values
    }

    /// The field's value, nil when absent; blank values (an empty form input) are nil too.
    public subscript(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }

    private static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
