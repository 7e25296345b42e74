import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A broker that answers the node agent's endpoints (heartbeat, logs, dataset) per the protocol,
/// recording every heartbeat and output line. Its shards are handed out until reported done;
/// commands are handed out once.
final class FakeBroker: Sendable {
    /// One heartbeat as the broker received it.
    struct Heartbeat: Decodable, Sendable {
        struct Checkpoint: Decodable, Sendable {
            var uri: String
            var at: String
        }

        var status: String
        var exitCode: Int?
        var shardsDone: [Int]?
        var checkpoint: Checkpoint?
        var address: String?

        enum CodingKeys: String, CodingKey {
            case status, checkpoint, address
            case exitCode = "exit_code"
            case shardsDone = "shards_done"
        }
    }

    /// One output line as the agent sent it.
    struct LogLine: Decodable, Sendable, Equatable {
        var seq: Int
        var stream: String
        var text: String
    }

    private struct LogBatch: Decodable {
        var lines: [LogLine]
    }

    private struct State {
        var heartbeats: [Heartbeat] = []
        var logLines: [LogLine] = []
        var logRefusalsLeft = 0
        var commands: [String] = []
        var refusalsLeft: Int
        var refused = 0
    }

    static let token = "agent-secret-7f3a"
    private let shards: [Int]
    private let resumeFrom: String?
    /// Each shard's objects, when the job's shards are lists of objects.
    private let objects: [Int: [String]]?
    private let state: Mutex<State>

    /// A broker assigning `shards` (with `objects`, for a manifest), resuming from `resumeFrom`,
    /// that answers the first `unavailable` heartbeats and `logsUnavailable` log batches with 503.
    init(
        shards: [Int], objects: [Int: [String]]? = nil, resumeFrom: String? = nil, unavailable: Int = 0,
        logsUnavailable: Int = 0
    ) {
        self.shards = shards
        self.objects = objects
        self.resumeFrom = resumeFrom
        var initial = State(refusalsLeft: unavailable)
        initial.logRefusalsLeft = logsUnavailable
        state = Mutex(initial)
    }

    var heartbeats: [Heartbeat] { state.withLock { $0.heartbeats } }
    /// Every output line received, in order of arrival (a line sent twice appears twice).
    var logLines: [LogLine] { state.withLock { $0.logLines } }
    var refused: Int { state.withLock { $0.refused } }

    /// Puts `command` in the next answer.
    func ask(_ command: String) {
        state.withLock { $0.commands.append(command) }
    }

    /// Serves on an ephemeral loopback port while `body` runs with the base URL.
    func serve(_ body: (_ baseURL: String) async throws -> Void) async throws {
        let router = Router()
        router.post("/v1/agent/heartbeat") { request, _ in try await self.answer(request) }
        router.post("/v1/agent/logs") { request, _ in try await self.logs(request) }
        router.get("/v1/agent/dataset") { request, _ in try self.dataset(request) }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "FakeBroker")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            }, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port != 0 else { throw HTTPError(.internalServerError) }
            try await body("http://127.0.0.1:\(port)")
        }
    }

    private func logs(_ request: Request) async throws -> Response {
        guard request.headers[.authorization] == "Bearer \(Self.token)" else { throw HTTPError(.unauthorized) }
        let body = try await request.body.collect(upTo: 1 << 20)
        guard let batch = try? JSONDecoder().decode(LogBatch.self, from: Data(body.readableBytesView)) else {
            throw HTTPError(.badRequest)
        }
        let accepted = state.withLock { state -> Bool in
            guard state.logRefusalsLeft == 0 else {
                state.logRefusalsLeft -= 1
                return false
            }
            state.logLines += batch.lines
            return true
        }
        guard accepted else { throw HTTPError(.serviceUnavailable) }
        return Self.json(["accepted": batch.lines.count])
    }

    private func dataset(_ request: Request) throws -> Response {
        guard request.headers[.authorization] == "Bearer \(Self.token)", let objects else {
            throw HTTPError(.notFound)
        }
        return Self.json(["shards": objects.sorted { $0.key < $1.key }.map { ["index": $0.key, "uris": $0.value] }])
    }

    private static func json(_ object: Any) -> Response {
        let bytes = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private func answer(_ request: Request) async throws -> Response {
        guard request.headers[.authorization] == "Bearer \(Self.token)" else { throw HTTPError(.unauthorized) }
        let body = try await request.body.collect(upTo: 1 << 20)
        guard let heartbeat = try? JSONDecoder().decode(Heartbeat.self, from: Data(body.readableBytesView)) else {
            throw HTTPError(.badRequest)
        }
        let commands: [String]? = state.withLock { state in
            guard state.refusalsLeft == 0 else {
                state.refusalsLeft -= 1
                state.refused += 1
                return nil
            }
            state.heartbeats.append(heartbeat)
            defer { state.commands = [] }
            return state.commands
        }
        guard let commands else { throw HTTPError(.serviceUnavailable) }
        let done = Set(heartbeat.shardsDone ?? [])
        let answer: [String: Any] = [
            "node_id": "node_1", "job_id": "job_7", "rank": 0, "nnodes": 2, "gpus_per_node": 8,
            "master_addr": NSNull(), "master_port": 29500, "shards": shards.filter { !done.contains($0) },
            "checkpoint_uri": "s3://ckpt/run-7", "resume_from": resumeFrom.map { $0 as Any } ?? NSNull(),
            "commands": commands, "dataset_uri": "s3://data", "shard_objects": objects != nil,
        ]
        let bytes = try JSONSerialization.data(withJSONObject: answer)
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
