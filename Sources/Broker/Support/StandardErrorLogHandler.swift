import Foundation
import Logging

/// The daemon's log lines, as swift-log's `StreamLogHandler` writes them (`timestamp level label:
/// key=value … [source] message`, metadata sorted by key), except that the metadata is formatted
/// only when a line is written. `StreamLogHandler` formats it again on every change, and the HTTP
/// server sets a request's metadata on every request, most of which log nothing at the configured
/// level: under load that formatting was a few percent of the daemon's CPU.
public struct StandardErrorLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    /// Where a finished line goes: standard error, or a test's sink.
    private let write: @Sendable (String) -> Void

    public init(
        label: String, logLevel: Logger.Level,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider,
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.label = label
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, provided in provided } }
        if let explicit = event.metadata { merged.merge(explicit) { _, explicit in explicit } }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        let pairs = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        write(
            "\(Self.timestamp()) \(event.level)\(label.isEmpty ? "" : " ")\(label):\(pairs) [\(event.source)] \(event.message)\n"
        )
    }

    /// Local time to the second, with its offset: `2026-12-07T08:14:03+0000`.
    private static func timestamp() -> String {
        var now = time(nil)
        var fields = tm()
        var buffer = [CChar](repeating: 0, count: 64)
        guard localtime_r(&now, &fields) != nil,
            strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &fields) > 0
        else { return "<unknown>" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
