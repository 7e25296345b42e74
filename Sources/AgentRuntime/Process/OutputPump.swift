import NodeAgent

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a command's output pipe to its end, line by line.
enum OutputPump {
    /// Reads `fd` until the end (then closes it), handing each line to `onLine`.
    static func drain(_ fd: Int32, stream: OutputStream, onLine: @Sendable (OutputStream, String) -> Void) {
        var splitter = LineSplitter()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            for line in splitter.feed(buffer[0..<count]) { onLine(stream, line) }
        }
        if let last = splitter.finish() { onLine(stream, last) }
        close(fd)
    }
}
