/// Reads typed values out of text parameters (a query string's, a form's), noting each problem
/// with the parameter's name: the rules and messages every reader of parameters shares.
public struct ParameterReader: Sendable {
    /// A parameter that could not be read, and why.
    public struct Problem: Sendable, Equatable {
        public var field: String
        public var message: String
    }

    public let values: [String: String]
    public private(set) var problems: [Problem] = []

    public init(_ values: [String: String]) {
        self.values = values
    }

    public mutating func report(_ field: String, _ message: String) {
        problems.append(Problem(field: field, message: message))
    }

    /// A comma-separated list, without empty items.
    public mutating func list(_ name: String) -> [String]? {
        guard let text = values[name] else { return nil }
        let items = text.split(separator: ",").map { item in
            String(item.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
        }.filter { !$0.isEmpty }
        guard !items.isEmpty else {
            report(name, "must not be empty")
            return nil
        }
        return items
    }

    public mutating func integer(_ name: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            report(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
            return nil
        }
        return value
    }

    /// A positive amount of US dollars, e.g. `40` or `12.5`.
    public mutating func dollars(_ name: String) -> Money? {
        guard let text = values[name] else { return nil }
        guard let money = try? Money(parsing: text), money > .zero else {
            report(name, "must be a positive amount in USD such as 12.50, got '\(text)'")
            return nil
        }
        return money
    }

    public mutating func choice<T: RawRepresentable & CaseIterable>(_ name: String) -> T? where T.RawValue == String {
        guard let text = values[name] else { return nil }
        guard let value = T(rawValue: text) else {
            report(name, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
            return nil
        }
        return value
    }
}
