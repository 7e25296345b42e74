import BrokerCore
import Foundation
import Hummingbird
import HummingbirdCore

/// Reads a request's query parameters strictly: each one is checked as it is read, problems are
/// collected with the parameter's name, and ``finish()`` rejects parameters nobody reads, so
/// `?max_prise=3` is a 400 rather than a silently unfiltered answer.
struct QueryReader {
    private let parameters: FlatDictionary<Substring, Substring>
    /// The names read: a handful, so a list compared in turn costs less than hashing each.
    private var read: [String] = []
    private(set) var errors: [ProblemDetails.FieldError] = []

    init(_ request: Request) {
        parameters = request.uri.queryParameters
    }

    /// The raw text of `name`; a repeated parameter is an error.
    mutating func string(_ name: String) -> String? {
        if !read.contains(name) { read.append(name) }
        let values = parameters[values: Substring(name)]
        guard let value = values.first else { return nil }
        if values.count > 1 { report(name, "given more than once; use one comma-separated value") }
        return String(value)
    }

    /// A page cursor that is the id (made with `prefix`) of the last item of the previous page.
    mutating func cursor(_ name: String, prefix: String) -> String? {
        guard let value = string(name) else { return nil }
        guard Identifier.isWellFormed(value, prefix: prefix) else {
            report(name, "is not a cursor this API gave out")
            return nil
        }
        return value
    }

    /// A comma-separated list, without empty items.
    mutating func list(_ name: String) -> [String]? {
        parsed(name) { $0.list(name) }
    }

    /// A comma-separated set of values of `T` (states, say); each unknown one is reported.
    mutating func choices<T: RawRepresentable & CaseIterable & Hashable>(_ name: String, as type: T.Type = T.self)
        -> Set<T>?
    where T.RawValue == String {
        guard let items = list(name) else { return nil }
        var values: Set<T> = []
        for item in items {
            guard let value = T(rawValue: item) else {
                report(name, "unknown \(name) '\(item)'; one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            values.insert(value)
        }
        return values
    }

    mutating func integer(_ name: String, in range: ClosedRange<Int>) -> Int? {
        parsed(name) { $0.integer(name, in: range) }
    }

    /// A positive amount of US dollars, e.g. `40` or `12.5`.
    mutating func dollars(_ name: String) -> Money? {
        parsed(name) { $0.dollars(name) }
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type = T.self) -> T?
    where T.RawValue == String {
        parsed(name) { $0.choice(name) }
    }

    /// `true` or `false` (also `1` or `0`).
    mutating func flag(_ name: String) -> Bool? {
        guard let text = string(name) else { return nil }
        switch text {
        case "true", "1": return true
        case "false", "0": return false
        default:
            report(name, "must be true or false, got '\(text)'")
            return nil
        }
    }

    /// An RFC 3339 time such as `2026-11-21T15:00:00Z`, read as the job spec's `deadline` is.
    mutating func date(_ name: String) -> Date? {
        guard let text = string(name) else { return nil }
        guard let date = RFC3339.date(from: text) else {
            report(name, "must be a time such as 2026-11-21T15:00:00Z, got '\(text)'")
            return nil
        }
        return date
    }

    mutating func report(_ name: String, _ message: String) {
        errors.append(.init(field: name, message: message))
    }

    /// `name`'s value read by `read`, by the rules every reader of parameters shares.
    private mutating func parsed<T>(_ name: String, _ read: (inout ParameterReader) -> T?) -> T? {
        guard let text = string(name) else { return nil }
        var reader = ParameterReader([name: text])
        let value = read(&reader)
        for problem in reader.problems { report(problem.field, problem.message) }
        return value
    }

    /// Throws a 400 listing every problem, unknown parameters included.
    func finish() throws {
        var errors = errors
        for (key, _) in parameters where !read.contains(where: { $0 == key }) {
            errors.append(.init(field: String(key), message: "unknown parameter"))
        }
        guard errors.isEmpty else {
            throw ProblemDetails(
                status: .badRequest, detail: "invalid query parameters",
                errors: errors.sorted { $0.field < $1.field })
        }
    }
}
