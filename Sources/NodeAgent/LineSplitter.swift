/// Cuts a stream of bytes (a command's output) into lines of text: at each newline (a trailing `\r`
/// dropped), and at ``maxLineBytes`` for a line that never ends. Bytes that are not UTF-8 become
/// U+FFFD.
public struct LineSplitter: Sendable {
    /// The longest line kept whole; longer ones are cut into pieces of this size.
    public let maxLineBytes: Int
    private var partial: [UInt8] = []

    public init(maxLineBytes: Int = 16 * 1024) {
        self.maxLineBytes = max(1, maxLineBytes)
    }

    /// The lines `bytes` completes.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [String] {
        var lines: [String] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                lines.append(take())
            } else {
                partial.append(byte)
                if partial.count >= maxLineBytes { lines.append(take()) }
            }
        }
        return lines
    }

    /// What is left once the stream ended, as a last line (nil when nothing is).
    public mutating func finish() -> String? {
        partial.isEmpty ? nil : take()
    }

    private mutating func take() -> String {
        if partial.last == UInt8(ascii: "\r") { partial.removeLast() }
        defer { partial.removeAll(keepingCapacity: true) }
        return String(decoding: partial, as: UTF8.self)
    }
}
