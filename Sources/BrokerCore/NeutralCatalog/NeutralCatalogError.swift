/// A line of a neutral offers, queries or answers file (see ``NeutralOffers``) that cannot be read:
/// its 1-based line number and every problem with it.
public struct NeutralCatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}
