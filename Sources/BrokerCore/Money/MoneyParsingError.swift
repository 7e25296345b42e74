/// Why a string could not be read as ``Money``.
public struct MoneyParsingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong with the text.
    public enum Reason: Sendable, Hashable {
        /// Not a plain decimal number.
        case malformed
        /// A decimal number too large for `Int64` micro-dollars.
        case overflow
    }

    /// The text that was parsed.
    public var input: String
    public var reason: Reason

    public init(input: String, reason: Reason) {
        self.input = input
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .malformed: "'\(input)' is not a decimal amount"
        case .overflow: "'\(input)' is too large an amount"
        }
    }
}
