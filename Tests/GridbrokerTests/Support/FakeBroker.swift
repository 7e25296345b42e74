import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A broker that only answers `POST /v1/agent/heartbeat`, per the node agent protocol, recording
/// every heartbeat. Its shards are handed out until reported done; commands are handed out once.
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

    private struct State {
        var heartbeats: [Heartbeat] = []
        var commands: [String] = []
        var refusalsLeft: Int
        var refused = 0
    }

    static let token = "agent-secret-7f3a"
    private let shards: [Int]
    private let resumeFrom: String?
    private let state: Mutex<State>

    /// A broker assigning `shards`, resuming from `resumeFrom`, that answers the first
    /// `unavailable` heartbeats with 503.
    init(shards: [Int], resumeFrom: String? = nil, unavailable: Int = 0) {
        self.shards = shards
        self.resumeFrom = resumeFrom
        state = Mutex(State(refusalsLeft: unavailable))
    }

    var heartbeats: [Heartbeat] { state.withLock { $0.heartbeats } }
    var refused: Int { state.withLock { $0.refused } }

    /// Puts `command` in the next answer.
    func ask(_ command: String) {
        state.withLock { $0.commands.append(command) }
    }

    /// Serves on an ephemeral loopback port while `body` runs with the base URL.
    func serve(_ body: (_ baseURL: String) async throws -> Void) async throws {
        let router = Router()
        router.post("/v1/agent/heartbeat") { request, _ in try await self.answer(request) }
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
            "commands": commands,
        ]
        let bytes = try JSONSerialization.data(withJSONObject: answer)
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
