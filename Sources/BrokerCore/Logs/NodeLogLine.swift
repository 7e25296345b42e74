#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One line of a node's output as the broker keeps it: when it arrived (unique and increasing
/// within a job, so it doubles as a cursor), the agent's number for it, which stream, the text.
///
/// Stored one per line of text, `<microseconds since 1970> <seq> <o|e> <text>`; the text never holds
/// a line break (``sanitized(_:)``).
public struct NodeLogLine: Sendable, Equatable {
    public enum Stream: String, Sendable, Codable {
        case stdout, stderr
    }

    /// Microseconds since 1970.
    public var stamp: Int64
    public var seq: Int64
    public var stream: Stream
    public var text: String

    public init(stamp: Int64, seq: Int64, stream: Stream, text: String) {
        self.stamp = stamp
        self.seq = seq
        self.stream = stream
        self.text = text
    }

    public var date: Date { Date(timeIntervalSince1970: Double(stamp) / 1_000_000) }

    /// The line as stored, newline included.
    public var stored: String {
        "\(stamp) \(seq) \(stream == .stdout ? "o" : "e") \(text)\n"
    }

    /// A stored line (without its newline), or nil when it is not one.
    public init?(stored line: Substring) {
        let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, let stamp = Int64(parts[0]), let seq = Int64(parts[1]) else { return nil }
        switch parts[2] {
        case "o": stream = .stdout
        case "e": stream = .stderr
        default: return nil
        }
        self.stamp = stamp
        self.seq = seq
        text = parts.count == 4 ? String(parts[3]) : ""
    }

    /// `text` fit to be stored: line breaks and other control characters (but tabs) become spaces,
    /// and at most `maxBytes` of UTF-8 are kept.
    public static func sanitized(_ text: String, maxBytes: Int = 16 * 1024) -> String {
        var out = String.UnicodeScalarView()
        var bytes = 0
        for scalar in text.unicodeScalars {
            let kept: Unicode.Scalar =
                scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F ? " " : scalar
            bytes += String(kept).utf8.count
            if bytes > maxBytes { break }
            out.append(kept)
        }
        return String(out)
    }

    /// Microseconds since 1970 of `date`.
    public static func stamp(of date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }
}
