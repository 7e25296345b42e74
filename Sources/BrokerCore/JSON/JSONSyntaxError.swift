/// Why a document is not JSON, and where (1-based line, and column in bytes).
struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    var message: String
    var line: Int
    var column: Int

    var description: String { "malformed JSON at line \(line), column \(column): \(message)" }
}
