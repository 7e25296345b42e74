/// The command's output on its way to the broker (`POST /v1/agent/logs`): lines numbered from 1 in
/// the order written, sent in batches of at most ``maxBatchBytes``, one batch in flight at a time.
/// The broker keeps a line once whatever its number, so a batch sent again after a lost answer
/// adds nothing.
///
/// At most ``maxBufferedBytes`` of lines wait: an unreachable broker must not grow the agent
/// without bound. Beyond that the oldest waiting lines are dropped, and one line saying how many
/// takes their place.
public struct LogBatcher: Sendable {
    public enum Stream: String, Codable, Sendable {
        case stdout, stderr
    }

    public struct Line: Codable, Equatable, Sendable {
        public var seq: Int64
        public var stream: Stream
        public var text: String

        public init(seq: Int64, stream: Stream, text: String) {
            self.seq = seq
            self.stream = stream
            self.text = text
        }

        /// What the line counts for against the limits: its text and its framing.
        var cost: Int { text.utf8.count + 48 }
    }

    public let maxBatchBytes: Int
    public let maxBufferedBytes: Int
    /// Waiting lines, oldest first; the first ``inFlight`` of them are the batch being sent.
    private var lines: [Line] = []
    private var bufferedBytes = 0
    private var inFlight = 0
    private var nextSeq: Int64 = 1
    /// Lines dropped and not yet reported, and the index in ``lines`` of the line that reports them.
    private var dropped = 0
    private var dropNotice: Int?

    public init(maxBatchBytes: Int = 64 * 1024, maxBufferedBytes: Int = 4 * 1024 * 1024) {
        self.maxBatchBytes = max(1, maxBatchBytes)
        self.maxBufferedBytes = max(maxBatchBytes, maxBufferedBytes)
    }

    /// True when no line waits or is in flight.
    public var isEmpty: Bool { lines.isEmpty }

    /// Queues one line of the command's output.
    public mutating func append(_ text: String, stream: Stream) {
        let line = Line(seq: nextSeq, stream: stream, text: text)
        nextSeq += 1
        lines.append(line)
        bufferedBytes += line.cost
        dropOldest()
    }

    /// The next batch to send, or nil while one is in flight or nothing waits. The lines stay
    /// queued until ``delivered()`` (or go back to waiting on ``failed()``).
    public mutating func nextBatch() -> [Line]? {
        guard inFlight == 0, !lines.isEmpty else { return nil }
        var bytes = 0
        var count = 0
        for line in lines {
            if count > 0, bytes + line.cost > maxBatchBytes { break }
            bytes += line.cost
            count += 1
        }
        inFlight = count
        if let notice = dropNotice, notice < count {
            dropNotice = nil
            dropped = 0
        }
        return Array(lines.prefix(count))
    }

    /// The batch in flight reached the broker.
    public mutating func delivered() {
        bufferedBytes -= lines.prefix(inFlight).reduce(0) { $0 + $1.cost }
        lines.removeFirst(inFlight)
        dropNotice = dropNotice.map { $0 - inFlight }
        inFlight = 0
    }

    /// The batch in flight did not reach the broker; it is sent again.
    public mutating func failed() {
        inFlight = 0
    }

    /// Drops the oldest lines not in flight (never the notice) until the buffer fits, and says how
    /// many in the notice.
    private mutating func dropOldest() {
        while bufferedBytes > maxBufferedBytes {
            var victim = inFlight
            if victim == dropNotice { victim += 1 }
            guard victim < lines.count - 1 else { return }
            bufferedBytes -= lines[victim].cost
            let seq = lines[victim].seq
            lines.remove(at: victim)
            dropped += 1
            let text = "[gridbroker-agent: \(dropped) line(s) of output dropped while the broker was unreachable]"
            if let notice = dropNotice {
                bufferedBytes += text.utf8.count - lines[notice].text.utf8.count
                lines[notice].text = text
            } else {
                let line = Line(seq: seq, stream: .stderr, text: text)
                lines.insert(line, at: victim)
                bufferedBytes += line.cost
                dropNotice = victim
            }
        }
    }
}
