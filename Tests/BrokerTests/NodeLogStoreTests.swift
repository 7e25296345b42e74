import BrokerCore
import Foundation
import Testing

@testable import Broker

/// Nodes' output as the broker keeps it: each line once, stamped in order, bounded per node, read
/// by cursor, and followed without a gap.
@Suite("Node log store")
struct NodeLogStoreTests {
    private let clock = ManualClock(now: Date(timeIntervalSince1970: 1_795_000_000))
    private let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-logs-\(UUID())")

    private func store(maxBytes: Int = 1 << 20) -> NodeLogStore {
        NodeLogStore(folder: folder, maxBytesPerNode: maxBytes, clock: clock)
    }

    private func lines(_ range: ClosedRange<Int64>, _ text: String = "line") -> [(
        seq: Int64, stream: NodeLogLine.Stream, text: String
    )] {
        range.map { (seq: $0, stream: .stdout, text: "\(text) \($0)") }
    }

    @Test("a batch sent again adds nothing; lines come back in the order they arrived, with their nodes' ranks")
    func onceEachInOrder() async throws {
        let store = store()
        #expect(try await store.append(job: "job_1", node: "node_a", rank: 0, lines: lines(1...3)) == 3)
        #expect(try await store.append(job: "job_1", node: "node_a", rank: 0, lines: lines(2...4)) == 1)
        clock.advance(by: 1)
        #expect(try await store.append(job: "job_1", node: "node_b", rank: 1, lines: lines(1...2, "other")) == 2)
        let read = try await store.read(job: "job_1", .init(nodes: ["node_a": 0, "node_b": 1], since: nil, limit: 100))
        #expect(read.map(\.line.text) == ["line 1", "line 2", "line 3", "line 4", "other 1", "other 2"])
        #expect(read.map(\.rank) == [0, 0, 0, 0, 1, 1])
        let stamps = read.map(\.line.stamp)
        #expect(stamps == stamps.sorted() && Set(stamps).count == stamps.count, "stamps increase within the job")
        // Numbering goes on from the file after a restart: the same lines are not taken again.
        let restarted = self.store()
        #expect(try await restarted.append(job: "job_1", node: "node_a", rank: 0, lines: lines(3...5)) == 1)
    }

    @Test("since reads on after a line exactly; without it the last lines come; a rank narrows it")
    func cursorLimitAndRank() async throws {
        let store = store()
        try await store.append(job: "job_1", node: "node_a", rank: 0, lines: lines(1...10))
        try await store.append(job: "job_1", node: "node_b", rank: 1, lines: lines(1...5, "b"))
        let all = try await store.read(job: "job_1", .init(nodes: ["node_a": 0, "node_b": 1], since: nil, limit: 100))
        let after = try await store.read(
            job: "job_1", .init(nodes: ["node_a": 0, "node_b": 1], since: all[3].line.stamp, limit: 2))
        #expect(after.map(\.line.text) == ["line 5", "line 6"])
        let last = try await store.read(job: "job_1", .init(nodes: ["node_a": 0, "node_b": 1], since: nil, limit: 3))
        #expect(last.map(\.line.text) == ["b 3", "b 4", "b 5"])
        let rankZero = try await store.read(job: "job_1", .init(nodes: ["node_a": 0], since: nil, limit: 100))
        #expect(rankZero.count == 10)
    }

    @Test("a node keeps at most about its limit: the oldest half goes first, the newest lines stay")
    func rotation() async throws {
        let store = store(maxBytes: 4096)
        for batch in 0..<50 {
            let first = Int64(batch * 10 + 1)
            try await store.append(job: "job_1", node: "node_a", rank: 0, lines: lines(first...(first + 9)))
        }
        let files = try FileManager.default.contentsOfDirectory(
            at: folder.appendingPathComponent("job_1"), includingPropertiesForKeys: [.fileSizeKey])
        let bytes = try files.reduce(0) { $0 + (try $1.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0) }
        #expect(bytes <= 4096 + 1024)
        let kept = try await store.read(job: "job_1", .init(nodes: ["node_a": 0], since: nil, limit: 10_000))
        #expect(kept.last?.line.text == "line 500")
        #expect(kept.count < 500)
        #expect(kept.map(\.line.seq) == Array((500 - Int64(kept.count) + 1)...500), "no gap in what is kept")
    }

    @Test("a follower gets what was there, then each new line of its job and rank, replacements' included")
    func follow() async throws {
        let store = store()
        try await store.append(job: "job_1", node: "node_a", rank: 1, lines: lines(1...2))
        let (history, id, stream) = try await store.follow(
            job: "job_1", .init(nodes: ["node_a": 1], rank: 1, since: nil, limit: 100))
        #expect(history.map(\.line.text) == ["line 1", "line 2"])
        try await store.append(job: "job_1", node: "node_a", rank: 1, lines: lines(3...3))
        try await store.append(job: "job_1", node: "node_z", rank: 0, lines: lines(1...1, "rank 0"))
        try await store.append(job: "job_2", node: "node_q", rank: 1, lines: lines(1...1, "other job"))
        try await store.append(job: "job_1", node: "node_b", rank: 1, lines: lines(1...1, "replacement"))
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next()?.line.text == "line 3")
        #expect(await iterator.next()?.line.text == "replacement 1")
        await store.unfollow(job: "job_1", id: id)
        #expect(await iterator.next() == nil)
    }

    @Test("ids that are not the broker's own are refused before any file is touched")
    func badNames() async {
        await #expect(throws: NodeLogError.self) {
            try await store().append(job: "../etc", node: "node_a", rank: 0, lines: lines(1...1))
        }
    }
}

@Suite("Where nodes find the broker, and where manifests come from")
struct NodeReachabilityTests {
    private func configuration(publicURL: String?, host: String = "127.0.0.1") -> BrokerConfiguration {
        BrokerConfiguration(
            server: ServerConfiguration(host: host, port: 8080, publicURL: publicURL),
            providers: [
                ProviderConfiguration(id: "vast", kind: .vast, baseURL: "https://console.vast.ai"),
                ProviderConfiguration(id: "sim", kind: .runpod, baseURL: "http://127.0.0.1:9400/runpod"),
                ProviderConfiguration(
                    id: "aws", kind: .aws, baseURL: "https://ec2.{region}.amazonaws.com", regions: ["us-east-1"]),
            ])
    }

    @Test("a remote provider with a loopback or unset public URL is a problem; a local one is not")
    func problems() {
        let loopback = NodeReachability.problems(configuration(publicURL: nil))
        #expect(Set(loopback.keys) == ["vast", "aws"])
        #expect(loopback["vast"]?.contains("no server.public_url, so they would be told http://127.0.0.1:8080") == true)
        #expect(NodeReachability.problems(configuration(publicURL: "https://broker.example.com")).isEmpty)
        #expect(NodeReachability.problems(configuration(publicURL: nil, host: "0.0.0.0")).count == 2)
        #expect(NodeReachability.problems(configuration(publicURL: "http://localhost:8080")).count == 2)
    }

    @Test("a manifest path must stay in the manifest folder; one there is read and split")
    func manifestFolder() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-manifests-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try #"{"uri": "s3://a", "bytes": 1}"#.appending("\n{\"uri\": \"s3://b\", \"bytes\": 1}\n")
            .write(to: folder.appendingPathComponent("ok.jsonl"), atomically: true, encoding: .utf8)
        try "secret".write(
            to: folder.deletingLastPathComponent().appendingPathComponent("outside-\(UUID()).txt"), atomically: true,
            encoding: .utf8)
        let manifests = DatasetManifests(folder: folder.path, transport: UnusedTransport())
        let objects = try await manifests.shardObjects(of: .init(uri: "s3://d", shards: 2, manifest: "ok.jsonl"))
        #expect(objects == [["s3://a"], ["s3://b"]])
        #expect(try await manifests.shardObjects(of: .init(uri: "s3://d", shards: 2)) == nil)
        for escape in ["../outside.txt", "/etc/passwd", "sub/../../x"] {
            await #expect {
                _ = try await manifests.shardObjects(of: .init(uri: "s3://d", shards: 1, manifest: escape))
            } throws: { error in
                (error as? DatasetManifestError)?.message.contains("is not in the broker's manifest folder") == true
            }
        }
    }
}
