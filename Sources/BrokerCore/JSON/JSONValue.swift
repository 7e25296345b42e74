/// A parsed JSON document, as strict readers need it.
///
/// Numbers keep their literal text, so money and integers are read exactly from their digits and
/// `true` can never pass for `1`. Objects keep their members in order, duplicate keys included, so
/// a reader can report duplicates instead of silently keeping one.
enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number's literal text, e.g. "-12.5e3"; always valid JSON number syntax.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One `"key": value` pair of an object.
    struct Member: Sendable, Hashable {
        var key: String
        var value: JSONValue
    }

    /// The kind of value, as messages name it: "a string", "null", …
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
