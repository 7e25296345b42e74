import Broker
import BrokerCore
import Crypto
import CurlHTTP
import Foundation
import HTTPTypes
import Providers
import Store
import Testing

@testable import BrokerHTTP

/// The agent's other endpoints (the executable, output lines, the job's shard objects) and a job's
/// logs as teams read them: node tokens only, team isolation as for jobs, each line once.
@Suite("Agent download, logs and dataset; GET /v1/jobs/{id}/logs")
struct NodeOutputRoutesTests {
    /// A harness with a job of team_a whose one node booted with `nodeToken`.
    private func harness() async throws -> (harness: APIHarness, job: String, member: String, nodeToken: String) {
        let harness = try await APIHarness()
        let member = try await harness.token(team: "team_a")
        let job = try await harness.submit(token: member)
        let token = AgentToken()
        let nodes = SQLiteNodeRepository(database: harness.database)
        var node = NodeRecord(id: "node_out_0", jobID: job, rank: 0, offer: Self.offer, requestedAt: APIHarness.start)
        node.agentTokenHash = token.hash
        _ = try await nodes.beginProvisioning(job: job, nodes: [node], at: APIHarness.start)
        return (harness, job, member, token.token)
    }

    private static let offer = Offer(
        id: OfferID(provider: "vast", native: "1"), gpu: GPUName(resolving: "H100 SXM"), gpuCount: 8, gpuMemoryGB: 80,
        interconnect: nil, vcpus: 1, memoryGB: 1, diskGB: 1, region: "r", country: "US", market: .spot,
        pricePerHour: Money(dollars: 8)!, available: 1, reliability: nil, firstSeenAt: APIHarness.start,
        lastSeenAt: APIHarness.start, raw: nil)

    private func lines(_ range: ClosedRange<Int>) -> String {
        let items = range.map {
            #"{"seq": \#($0), "stream": "\#($0 % 2 == 0 ? "stderr" : "stdout")", "text": "line \#($0)"}"#
        }
        return #"{"lines": [\#(items.joined(separator: ", "))]}"#
    }

    @Test("output lines need the node's token; a batch sent again adds nothing")
    func logsFromTheAgent() async throws {
        let (harness, _, member, nodeToken) = try await harness()
        #expect(
            try await harness.call(.post, "/v1/agent/logs", token: member, body: lines(1...2)).status == .unauthorized)
        let first = try await harness.call(.post, "/v1/agent/logs", token: nodeToken, body: lines(1...3))
        #expect(first.status == .ok)
        #expect(first.json["accepted"] as? Int == 3)
        #expect(
            try await harness.call(.post, "/v1/agent/logs", token: nodeToken, body: lines(2...4)).json["accepted"]
                as? Int == 1)
        let bad = try await harness.call(
            .post, "/v1/agent/logs", token: nodeToken,
            body: #"{"lines": [{"seq": 0, "stream": "stdout", "text": "x"}]}"#)
        #expect(bad.status == .badRequest)
        #expect(bad.text.contains("lines[0].seq"))
        let wrongStream = try await harness.call(
            .post, "/v1/agent/logs", token: nodeToken, body: #"{"lines": [{"seq": 9, "stream": "stdin", "text": "x"}]}"#
        )
        #expect(wrongStream.status == .badRequest)
    }

    @Test("a job's logs: its team and admins read them, another team gets a 404; since reads on after a line")
    func logsForTeams() async throws {
        let (harness, job, member, nodeToken) = try await harness()
        _ = try await harness.call(.post, "/v1/agent/logs", token: nodeToken, body: lines(1...5))
        let read = try await harness.call(.get, "/v1/jobs/\(job)/logs", token: member)
        #expect(read.status == .ok)
        let all = read.json["lines"] as? [[String: Any]] ?? []
        #expect(all.compactMap { $0["text"] as? String } == (1...5).map { "line \($0)" })
        #expect(all.first?["rank"] as? Int == 0)
        #expect(all.first?["node_id"] as? String == "node_out_0")
        #expect(all.compactMap { $0["stream"] as? String }.prefix(2) == ["stdout", "stderr"])
        let since = try #require(all[1]["at"] as? String)
        let after = try await harness.call(.get, "/v1/jobs/\(job)/logs?since=\(since)&limit=2", token: member)
        #expect(
            (after.json["lines"] as? [[String: Any]])?.compactMap { $0["text"] as? String } == ["line 3", "line 4"])
        let rankOne = try await harness.call(.get, "/v1/jobs/\(job)/logs?rank=1", token: member)
        #expect((rankOne.json["lines"] as? [Any])?.isEmpty == true)
        let other = try await harness.token(team: "team_b")
        let refused = try await harness.call(.get, "/v1/jobs/\(job)/logs", token: other)
        #expect(refused.status == .notFound)
        #expect(!refused.text.contains("line"))
        #expect(try await harness.call(.get, "/v1/jobs/\(job)/logs", token: try await harness.token()).status == .ok)
        let badQuery = try await harness.call(.get, "/v1/jobs/\(job)/logs?follow=maybe&since=yesterday", token: member)
        #expect(badQuery.status == .badRequest)
        #expect(badQuery.text.contains("follow") && badQuery.text.contains("since"))
    }

    @Test("follow streams the lines as server-sent events and ends once the job ended and went quiet")
    func follow() async throws {
        var (harness, job, member, nodeToken) = try await harness()
        harness.dependencies.logKeepAlive = .milliseconds(20)
        _ = try await harness.call(.post, "/v1/agent/logs", token: nodeToken, body: lines(1...2))
        _ = try await harness.call(.post, "/v1/jobs/\(job)/cancel", token: member)
        let stream = try await harness.call(.get, "/v1/jobs/\(job)/logs?follow=true", token: member)
        #expect(stream.status == .ok)
        #expect(stream.contentType == "text/event-stream")
        let events = stream.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(events.prefix(2).allSatisfy { $0.hasPrefix("id: ") && $0.contains("event: line\ndata: {") })
        #expect(events.first?.contains(#""text":"line 1""#) == true)
        #expect(events.last == "event: end\ndata: {}")
    }

    @Test("the agent's executable is served to node tokens only, with its SHA-256; without one, a 503")
    func download() async throws {
        var (harness, _, member, nodeToken) = try await harness()
        #expect(try await harness.call(.get, "/v1/agent/download", token: nodeToken).status == .serviceUnavailable)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("agent-\(UUID())")
        let bytes = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 * 7) })
        try bytes.write(to: file)
        harness.dependencies.agent = AgentBinary(path: file.path)
        #expect(try await harness.call(.get, "/v1/agent/download", token: member).status == .unauthorized)
        let served = try await harness.call(.get, "/v1/agent/download", token: nodeToken)
        #expect(served.status == .ok)
        #expect(served.bytes == Array(bytes))
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        #expect(served.headers[.init("X-Gridbroker-Agent-Sha256")!] == digest)
        #expect(
            served.headers[.init("Repr-Digest")!] == "sha-256=:\(Data(SHA256.hash(data: bytes)).base64EncodedString()):"
        )
    }

    @Test("a job without a manifest has no shard objects for its agents")
    func noDataset() async throws {
        let (harness, _, _, nodeToken) = try await harness()
        #expect(try await harness.call(.get, "/v1/agent/dataset", token: nodeToken).status == .notFound)
    }

    @Test("a manifest is read at submit: a bad line is a 400 naming it; a good one is split for the agents")
    func manifestAtSubmit() async throws {
        var harness = try await APIHarness()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("manifests-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "{\"uri\": \"s3://a\", \"bytes\": 5}\n{\"uri\": \"s3://b\", \"bytes\": 5}\n{\"uri\": \"s3://c\"}\n"
            .write(to: folder.appendingPathComponent("bad.jsonl"), atomically: true, encoding: .utf8)
        try "{\"uri\": \"s3://a\", \"bytes\": 5}\n{\"uri\": \"s3://b\", \"bytes\": 5}\n"
            .write(to: folder.appendingPathComponent("good.jsonl"), atomically: true, encoding: .utf8)
        harness.dependencies.manifests = DatasetManifests(folder: folder.path, transport: NoTransport())
        let member = try await harness.token(team: "team_a")
        func spec(_ manifest: String) -> String {
            #"{"name": "m", "resources": {"gpu": ["H100"], "gpus_per_node": 8, "nodes": 1}, "image": "i", "command": ["t"], "dataset": {"uri": "s3://d", "shards": 2, "manifest": "\#(manifest)"}}"#
        }
        let bad = try await harness.call(.post, "/v1/jobs", token: member, body: spec("bad.jsonl"))
        #expect(bad.status == .badRequest)
        let errors = bad.json["errors"] as? [[String: String]]
        #expect(errors?.first?["field"] == "dataset.manifest")
        #expect(errors?.first?["message"] == "line 3: bytes is required")
        #expect(
            try await harness.call(.post, "/v1/jobs", token: member, body: spec("../good.jsonl")).status == .badRequest)
        let good = try await harness.call(.post, "/v1/jobs", token: member, body: spec("good.jsonl"))
        #expect(good.status == .created)
        let job = try #require(good.json["id"] as? String)
        #expect(
            try await SQLiteJobRepository(database: harness.database).shardObjects(ofJob: job) == [
                ["s3://a"], ["s3://b"],
            ])
    }
}

/// A transport no test reaches: manifests here are files.
private struct NoTransport: HTTPTransport {
    func execute(_ request: CurlHTTP.HTTPRequest) async throws -> CurlHTTP.HTTPResponse {
        throw CurlHTTPError.invalidURL
    }
}
