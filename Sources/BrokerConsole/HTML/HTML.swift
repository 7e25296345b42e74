/// A fragment of HTML whose interpolated values are escaped: in `"<td>\(name)</td>" as HTML`,
/// `name` (a `String`, a number, anything printable) is written as text, never as markup; only
/// another `HTML` value is inserted as it is. Pages are built from these, so no value reaches the
/// browser unescaped.
public struct HTML: Sendable, Equatable, ExpressibleByStringInterpolation {
    /// The markup.
    public private(set) var rendered: String

    public init(stringLiteral value: String) {
        rendered = value
    }

    public init(stringInterpolation: StringInterpolation) {
        rendered = stringInterpolation.output
    }

    /// Nothing.
    public static let empty: HTML = ""

    /// `parts` one after another.
    public init(joining parts: some Sequence<HTML>) {
        rendered = parts.map(\.rendered).joined()
    }

    /// `text` escaped for an element's content or a quoted attribute value.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var output = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            output.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            output += literal
        }

        /// Text, escaped.
        public mutating func appendInterpolation(_ text: String) {
            output += HTML.escape(text)
        }

        /// A value's description, escaped.
        public mutating func appendInterpolation(_ value: some CustomStringConvertible) {
            output += HTML.escape(value.description)
        }

        /// Markup, as it is.
        public mutating func appendInterpolation(_ html: HTML) {
            output += html.rendered
        }

        /// Several fragments, one after another.
        public mutating func appendInterpolation(_ parts: [HTML]) {
            output += parts.map(\.rendered).joined()
        }
    }
}
