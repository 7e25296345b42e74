/// A configuration problem, located well enough to fix it: the source (a file, the embedded
/// default or an environment variable), the line when known, and the key path.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    /// Where the value came from: a file path, `embedded default`, or `GRIDBROKER_...`.
    public var source: String
    /// The 1-based line in the file, when the problem has one.
    public var line: Int?
    /// The key path, e.g. `providers[0].poll_interval_s`; empty for the whole document.
    public var keyPath: String
    /// What is wrong.
    public var message: String

    public init(source: String, line: Int? = nil, keyPath: String, message: String) {
        self.source = source
        self.line = line
        self.keyPath = keyPath
        self.message = message
    }

    /// One line: `config/gridbroker.yaml:3: server.port: 70000 is out of range 0...65535`.
    public var description: String {
        var text = source
        if let line { text += ":\(line)" }
        text += ": "
        if !keyPath.isEmpty { text += "\(keyPath): " }
        return text + message
    }
}
