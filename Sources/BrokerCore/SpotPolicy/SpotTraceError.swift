/// Why a spot trace file could not be read; names the file.
public struct SpotTraceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file (or other source) the trace came from.
    public var source: String
    public var message: String

    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(message)" }
}
