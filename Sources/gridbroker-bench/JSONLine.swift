import BrokerCore
import Foundation

/// A JSON object, keys in the given order, for benchmark output.
struct JSONLine: Sendable {
    enum Value: Sendable {
        case string(String)
        case int(Int)
        case bool(Bool)
        case number(Double)
        case seconds(Duration)
        case object(JSONLine)
    }

    let fields: [(String, Value)]

    init(_ fields: [(String, Value)]) {
        self.fields = fields
    }

    var text: String {
        "{" + fields.map { key, value in "\"\(key)\": \(Self.render(value))" }.joined(separator: ", ") + "}"
    }

    private static func render(_ value: Value) -> String {
        switch value {
        case .string(let text): "\"\(text)\""
        case .int(let number): String(number)
        case .bool(let value): String(value)
        case .number(let number): String(format: "%.4f", number)
        case .seconds(let duration): String(format: "%.4f", duration.timeInterval)
        case .object(let line): line.text
        }
    }
}
