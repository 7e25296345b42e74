/// Just enough of GraphQL to answer RunPod's pricing queries: the selection set of a query
/// document (fields, aliases, arguments, nested selections). Fragments and directives are skipped.
struct GraphQLField: Sendable {
    var alias: String?
    var name: String
    var arguments: [String: GraphQLValue]
    var selections: [GraphQLField]

    /// The key the field's value has in the answer.
    var responseKey: String { alias ?? name }
}

/// An argument value.
indirect enum GraphQLValue: Sendable {
    case int(Int)
    case float(Double)
    case string(String)
    case bool(Bool)
    case null
    case enumValue(String)
    case variable(String)
    case list([GraphQLValue])
    case object([String: GraphQLValue])

    var intValue: Int? {
        switch self {
        case .int(let value): value
        case .float(let value): value.isFinite && abs(value) < 1e15 ? Int(value) : nil
        case .string(let text): Int(text)
        default: nil
        }
    }

    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .float(let value): value
        case .string(let text): Double(text)
        default: nil
        }
    }

    /// A string or an enum value's name.
    var textValue: String? {
        switch self {
        case .string(let text), .enumValue(let text): text
        default: nil
        }
    }

    /// The member `key` of an input object.
    subscript(key: String) -> GraphQLValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// Replaces `$name` with the request's variables.
    func resolved(_ variables: [String: LooseJSON]) -> GraphQLValue {
        switch self {
        case .variable(let name):
            return variables[name].map(Self.init(json:)) ?? .null
        case .list(let values):
            return .list(values.map { $0.resolved(variables) })
        case .object(let members):
            return .object(members.mapValues { $0.resolved(variables) })
        default:
            return self
        }
    }

    init(json: LooseJSON) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .number(let value): self = value == value.rounded() && abs(value) < 1e15 ? .int(Int(value)) : .float(value)
        case .string(let text): self = .string(text)
        case .array(let values): self = .list(values.map(Self.init(json:)))
        case .object(let members): self = .object(members.mapValues(Self.init(json:)))
        }
    }
}

/// Why a document could not be read.
struct GraphQLSyntaxError: Error {
    var message: String
}

/// Parses the first operation of a GraphQL document into its top-level selections.
struct GraphQLSelectionParser {
    private let bytes: [UInt8]
    private var index = 0

    static func parse(_ document: String) throws(GraphQLSyntaxError) -> [GraphQLField] {
        try parseOperation(document).fields
    }

    /// The first operation's type (`query`, `mutation`, …; `query` for the `{ … }` shorthand) and
    /// its top-level selections.
    static func parseOperation(_ document: String) throws(GraphQLSyntaxError) -> (
        operation: String, fields: [GraphQLField]
    ) {
        var parser = GraphQLSelectionParser(bytes: Array(document.utf8))
        return try parser.parseDocument()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func parseDocument() throws(GraphQLSyntaxError) -> (operation: String, fields: [GraphQLField]) {
        skipIgnored()
        var operation = "query"
        if peek() != UInt8(ascii: "{") {
            // `query Name($var: Type = default) @directive {`
            operation = name() ?? operation
            skipIgnored()
            if peek().map(Self.isNameStart) == true { _ = name() }
            skipIgnored()
            if peek() == UInt8(ascii: "(") { try skipBalanced(open: "(", close: ")") }
            skipDirectives()
        }
        return (operation, try selectionSet())
    }

    private mutating func selectionSet() throws(GraphQLSyntaxError) -> [GraphQLField] {
        skipIgnored()
        guard consume("{") else { throw GraphQLSyntaxError(message: "Syntax Error: Expected \"{\".") }
        var fields: [GraphQLField] = []
        while true {
            skipIgnored()
            if consume("}") { return fields }
            if peek() == nil { throw GraphQLSyntaxError(message: "Syntax Error: Expected Name, found <EOF>.") }
            if consume(".") {
                // A fragment spread or inline fragment: skip it.
                while consume(".") {}
                skipIgnored()
                _ = name()
                skipIgnored()
                if peek().map(Self.isNameStart) == true { _ = name() }
                skipDirectives()
                skipIgnored()
                if peek() == UInt8(ascii: "{") { try skipBalanced(open: "{", close: "}") }
                continue
            }
            guard var fieldName = name() else {
                throw GraphQLSyntaxError(message: "Syntax Error: Unexpected character in selection set.")
            }
            var alias: String?
            skipIgnored()
            if consume(":") {
                skipIgnored()
                alias = fieldName
                guard let realName = name() else { throw GraphQLSyntaxError(message: "Syntax Error: Expected Name.") }
                fieldName = realName
            }
            skipIgnored()
            var arguments: [String: GraphQLValue] = [:]
            if consume("(") {
                arguments = try argumentList()
            }
            skipDirectives()
            skipIgnored()
            var selections: [GraphQLField] = []
            if peek() == UInt8(ascii: "{") {
                selections = try selectionSet()
            }
            fields.append(GraphQLField(alias: alias, name: fieldName, arguments: arguments, selections: selections))
        }
    }

    private mutating func argumentList() throws(GraphQLSyntaxError) -> [String: GraphQLValue] {
        var arguments: [String: GraphQLValue] = [:]
        while true {
            skipIgnored()
            if consume(")") { return arguments }
            guard let key = name() else { throw GraphQLSyntaxError(message: "Syntax Error: Expected argument name.") }
            skipIgnored()
            guard consume(":") else { throw GraphQLSyntaxError(message: "Syntax Error: Expected \":\".") }
            arguments[key] = try value()
        }
    }

    private mutating func value() throws(GraphQLSyntaxError) -> GraphQLValue {
        skipIgnored()
        guard let byte = peek() else { throw GraphQLSyntaxError(message: "Syntax Error: Expected value.") }
        switch byte {
        case UInt8(ascii: "$"):
            index += 1
            return .variable(name() ?? "")
        case UInt8(ascii: "\""):
            return .string(try stringLiteral())
        case UInt8(ascii: "["):
            index += 1
            var values: [GraphQLValue] = []
            while true {
                skipIgnored()
                if consume("]") { return .list(values) }
                values.append(try value())
            }
        case UInt8(ascii: "{"):
            index += 1
            var members: [String: GraphQLValue] = [:]
            while true {
                skipIgnored()
                if consume("}") { return .object(members) }
                guard let key = name() else { throw GraphQLSyntaxError(message: "Syntax Error: Expected Name.") }
                skipIgnored()
                guard consume(":") else { throw GraphQLSyntaxError(message: "Syntax Error: Expected \":\".") }
                members[key] = try value()
            }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = index
            index += 1
            while let next = peek(), Self.isNumberPart(next) { index += 1 }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if let integer = Int(text) { return .int(integer) }
            if let number = Double(text) { return .float(number) }
            throw GraphQLSyntaxError(message: "Syntax Error: Invalid number \(text).")
        default:
            guard let word = name() else { throw GraphQLSyntaxError(message: "Syntax Error: Unexpected character.") }
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            default: return .enumValue(word)
            }
        }
    }

    private mutating func stringLiteral() throws(GraphQLSyntaxError) -> String {
        index += 1
        var out: [UInt8] = []
        while let byte = peek() {
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = peek() else { break }
                index += 1
                switch escaped {
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
                default: out.append(escaped)
                }
            default:
                out.append(byte)
            }
        }
        throw GraphQLSyntaxError(message: "Syntax Error: Unterminated string.")
    }

    private mutating func skipDirectives() {
        skipIgnored()
        while consume("@") {
            _ = name()
            skipIgnored()
            if peek() == UInt8(ascii: "(") { try? skipBalanced(open: "(", close: ")") }
            skipIgnored()
        }
    }

    private mutating func skipBalanced(open: Unicode.Scalar, close: Unicode.Scalar) throws(GraphQLSyntaxError) {
        var depth = 0
        while let byte = peek() {
            index += 1
            if byte == UInt8(ascii: open) { depth += 1 }
            if byte == UInt8(ascii: close) {
                depth -= 1
                if depth == 0 { return }
            }
        }
        throw GraphQLSyntaxError(message: "Syntax Error: Expected \"\(close)\", found <EOF>.")
    }

    private mutating func name() -> String? {
        guard let first = peek(), Self.isNameStart(first) else { return nil }
        let start = index
        index += 1
        while let next = peek(), Self.isNameStart(next) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next) {
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Skips white space, commas (insignificant in GraphQL) and comments.
    private mutating func skipIgnored() {
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: ","),
                0xEF, 0xBB, 0xBF:
                index += 1
            case UInt8(ascii: "#"):
                while let next = peek(), next != UInt8(ascii: "\n") { index += 1 }
            default:
                return
            }
        }
    }

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func consume(_ scalar: Unicode.Scalar) -> Bool {
        guard peek() == UInt8(ascii: scalar) else { return false }
        index += 1
        return true
    }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || byte == UInt8(ascii: "_")
    }

    private static func isNumberPart(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: "-")
    }
}
