import BrokerCore
import Foundation

/// The output of jobs' nodes as their agents send it (`POST /v1/agent/logs`), kept under
/// `<folder>/<job id>/<node id>.log` and, once that holds half of ``maxBytesPerNode``, rotated to
/// `<node id>.log.1` (the older half is dropped): at most about ``maxBytesPerNode`` per node.
///
/// Each line gets the time it arrived, in microseconds, unique and increasing within its job: the
/// cursor `since` reads after. A line the agent numbered before is taken once only, so a batch sent
/// again adds nothing. Followers of a job get every new line as it is stored.
public actor NodeLogStore {
    /// A line with the node it came from.
    public struct Entry: Sendable, Equatable {
        public var nodeID: String
        public var rank: Int
        public var line: NodeLogLine
    }

    /// A job's lines, and whom they are read for.
    public struct Selection: Sendable {
        /// The job's nodes (id → rank) whose lines are wanted.
        public var nodes: [String: Int]
        /// The rank whose lines are wanted (nil: every rank), for the lines of nodes that come later.
        public var rank: Int?
        /// Lines after this stamp only.
        public var since: Int64?
        /// At most this many: the first after `since`, or the last without it.
        public var limit: Int

        public init(nodes: [String: Int], rank: Int? = nil, since: Int64?, limit: Int) {
            self.nodes = nodes
            self.rank = rank
            self.since = since
            self.limit = limit
        }
    }

    public let folder: URL
    public let maxBytesPerNode: Int
    private let clock: any BrokerClock
    private var lastStamp: [String: Int64] = [:]
    private var lastSeq: [String: Int64] = [:]
    private var followers: [String: [UUID: (Selection, AsyncStream<Entry>.Continuation)]] = [:]

    public init(folder: URL, maxBytesPerNode: Int, clock: any BrokerClock) {
        self.folder = folder
        self.maxBytesPerNode = max(maxBytesPerNode, 2048)
        self.clock = clock
    }

    /// Stores the lines of node `nodeID` (rank `rank`) of job `jobID` that it has not sent before;
    /// returns how many were new.
    @discardableResult
    public func append(
        job jobID: String, node nodeID: String, rank: Int,
        lines: [(seq: Int64, stream: NodeLogLine.Stream, text: String)]
    ) throws -> Int {
        let file = try logFile(job: jobID, node: nodeID)
        var seen = try lastSeq[nodeID] ?? Self.lastLine(in: file)?.seq ?? 0
        var stamp = max(NodeLogLine.stamp(of: clock.now), (lastStamp[jobID] ?? 0) + 1)
        var fresh: [NodeLogLine] = []
        for line in lines.sorted(by: { $0.seq < $1.seq }) where line.seq > seen {
            fresh.append(
                NodeLogLine(stamp: stamp, seq: line.seq, stream: line.stream, text: NodeLogLine.sanitized(line.text)))
            seen = line.seq
            stamp += 1
        }
        lastSeq[nodeID] = seen
        guard !fresh.isEmpty else { return 0 }
        lastStamp[jobID] = stamp - 1
        let text = Data(fresh.map(\.stored).joined().utf8)
        try rotateIfNeeded(file, adding: text.count)
        try Self.appendData(text, to: file)
        for (selection, continuation) in followers[jobID, default: [:]].values {
            guard selection.rank == nil || selection.rank == rank else { continue }
            for line in fresh { continuation.yield(Entry(nodeID: nodeID, rank: rank, line: line)) }
        }
        return fresh.count
    }

    /// The selected lines of job `jobID`, oldest first.
    public func read(job jobID: String, _ selection: Selection) throws -> [Entry] {
        var entries: [Entry] = []
        for (nodeID, rank) in selection.nodes {
            let file = try logFile(job: jobID, node: nodeID)
            for path in [Self.rotated(file), file] {
                guard let data = FileManager.default.contents(atPath: path.path) else { continue }
                for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                    guard let parsed = NodeLogLine(stored: line), parsed.stamp > selection.since ?? .min else {
                        continue
                    }
                    entries.append(Entry(nodeID: nodeID, rank: rank, line: parsed))
                }
            }
        }
        entries.sort { $0.line.stamp < $1.line.stamp }
        return selection.since == nil ? Array(entries.suffix(selection.limit)) : Array(entries.prefix(selection.limit))
    }

    /// The selected lines so far and, without a gap between them, every selected line stored from
    /// now on, until ``unfollow(job:id:)``.
    public func follow(job jobID: String, _ selection: Selection) throws -> (
        history: [Entry], id: UUID, lines: AsyncStream<Entry>
    ) {
        let history = try read(job: jobID, selection)
        let (stream, continuation) = AsyncStream.makeStream(of: Entry.self)
        let id = UUID()
        followers[jobID, default: [:]][id] = (selection, continuation)
        return (history, id, stream)
    }

    public func unfollow(job jobID: String, id: UUID) {
        followers[jobID]?.removeValue(forKey: id)?.1.finish()
        if followers[jobID]?.isEmpty == true { followers[jobID] = nil }
    }

    // MARK: Files

    /// `<folder>/<job>/<node>.log`, its folder made; ids are the broker's own (letters, digits, `_`).
    private func logFile(job jobID: String, node nodeID: String) throws -> URL {
        guard Self.isSafeName(jobID), Self.isSafeName(nodeID) else {
            throw NodeLogError.badName("\(jobID)/\(nodeID)")
        }
        let directory = folder.appendingPathComponent(jobID, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(nodeID + ".log")
    }

    private func rotateIfNeeded(_ file: URL, adding bytes: Int) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        guard size > 0, size + bytes > maxBytesPerNode / 2 else { return }
        let older = Self.rotated(file)
        try? FileManager.default.removeItem(at: older)
        try FileManager.default.moveItem(at: file, to: older)
    }

    private static func rotated(_ file: URL) -> URL {
        file.deletingLastPathComponent().appendingPathComponent(file.lastPathComponent + ".1")
    }

    private static func appendData(_ data: Data, to file: URL) throws {
        if !FileManager.default.fileExists(atPath: file.path) {
            guard FileManager.default.createFile(atPath: file.path, contents: data) else {
                throw NodeLogError.cannotWrite(file.path)
            }
            return
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: data)
    }

    /// The newest line stored in `file` or the one it rotated to (after a restart, where numbering
    /// goes on from).
    private static func lastLine(in file: URL) throws -> NodeLogLine? {
        for path in [file, rotated(file)] {
            guard let handle = FileHandle(forReadingAtPath: path.path) else { continue }
            defer { try? handle.close() }
            let size = try handle.seekToEnd()
            try handle.seek(toOffset: size > 65_536 ? size - 65_536 : 0)
            let tail = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
            if let last = tail.split(separator: "\n").last.flatMap({ NodeLogLine(stored: $0) }) { return last }
        }
        return nil
    }

    private static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-")
            }
    }
}

/// Why output could not be kept.
public enum NodeLogError: Error, CustomStringConvertible {
    case badName(String)
    case cannotWrite(String)

    public var description: String {
        switch self {
        case .badName(let name): "'\(name)' is not a job and node id"
        case .cannotWrite(let path): "cannot write \(path)"
        }
    }
}
