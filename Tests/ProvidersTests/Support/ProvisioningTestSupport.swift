import BrokerCore
import CurlHTTP
import Foundation
import Providers
import Testing

/// Shared values and helpers for the provisioners' tests.
enum Provisioning {
    /// The node every test launches, its token and where it gets its agent.
    static let nodeID = "node_01JD3XQ7"
    static let agentToken = "gbn_0123456789abcdef"
    static let agent = AgentDelivery(
        brokerURL: "https://broker.example.com", sha256: String(repeating: "ab", count: 32))

    /// A launch of `native` on `provider` at `price` per hour, with an image, a command with a
    /// word that needs quoting, and one environment variable.
    static func request(
        provider: String, native: String, market: Market = .onDemand, price: Money = Money(microdollars: 12_290_000),
        gpuCount: Int = 8, diskGB: Int? = 200, bid: Money? = nil
    ) -> LaunchRequest {
        let now = Date(timeIntervalSince1970: 1_795_275_000)
        let offer = Offer(
            id: OfferID(provider: provider, native: native), gpu: .unknown("H100"), gpuCount: gpuCount,
            gpuMemoryGB: 80, interconnect: nil, vcpus: 0, memoryGB: 0, diskGB: 0, region: "us-east-1",
            country: "US", market: market, pricePerHour: price, available: 1, reliability: nil, firstSeenAt: now,
            lastSeenAt: now, raw: nil)
        return LaunchRequest(
            nodeID: nodeID, offer: offer, image: "nvcr.io/nvidia/pytorch:24.05-py3",
            command: ["torchrun", "train.py", "--note", "it's"], environment: ["WANDB_PROJECT": "lora"],
            agentToken: agentToken, agent: agent, diskGB: diskGB, bid: bid)
    }

    /// Checks that `script` is the node's virtual-machine boot script: it hands the agent the node's
    /// spec (broker, token, image, the job's command and environment) in a file, fetches the agent
    /// from the broker and checks it against the announced SHA-256.
    static func expectBootScript(_ script: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(script.hasPrefix("#!/bin/sh\n"), sourceLocation: sourceLocation)
        let lines = script.split(separator: "\n").map(String.init)
        let marker = try #require(lines.firstIndex { $0.hasSuffix("<<'GRIDBROKER_NODE_SPEC'") })
        let spec = try JSONSerialization.jsonObject(with: Data(lines[marker + 1].utf8)) as? [String: Any]
        #expect(spec?["broker"] as? String == agent.brokerURL, sourceLocation: sourceLocation)
        #expect(spec?["token"] as? String == agentToken, sourceLocation: sourceLocation)
        #expect(spec?["image"] as? String == "nvcr.io/nvidia/pytorch:24.05-py3", sourceLocation: sourceLocation)
        #expect(
            spec?["command"] as? [String] == ["torchrun", "train.py", "--note", "it's"], sourceLocation: sourceLocation)
        #expect(spec?["environment"] as? [String: String] == ["WANDB_PROJECT": "lora"], sourceLocation: sourceLocation)
        #expect(script.contains("url=\(agent.downloadURL)"), sourceLocation: sourceLocation)
        #expect(script.contains("!= \(agent.sha256) ]"), sourceLocation: sourceLocation)
        #expect(
            script.contains(#"set -- "$home/gridbroker-agent" run --spec "$home/node.json""#),
            sourceLocation: sourceLocation)
    }

    /// A transport answering `status` and the fixture `name` of `provider`.
    static func transport(_ name: String, provider: String, status: Int = 200, ext: String = "json") throws
        -> RecordedTransport
    {
        RecordedTransport(status: status, body: try Fixture.bytes(name, ext: ext, provider: provider))
    }

    /// A transport answering each fixture of `provider` in turn, with its status.
    static func transport(_ answers: [(String, Int)], provider: String, ext: String = "json") throws
        -> RecordedTransport
    {
        RecordedTransport(
            replies: try answers.map { name, status in
                .response(HTTPResponse(status: status, body: try Fixture.bytes(name, ext: ext, provider: provider)))
            })
    }

    /// The ``ProviderError`` `body` throws, or nil when it succeeds (any other error is an issue).
    static func error(_ body: () async throws -> Void) async -> ProviderError? {
        do {
            try await body()
            return nil
        } catch let error as ProviderError {
            return error
        } catch {
            Issue.record("not a ProviderError: \(error)")
            return nil
        }
    }
}
