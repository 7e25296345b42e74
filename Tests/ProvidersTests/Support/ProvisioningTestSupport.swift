import BrokerCore
import CurlHTTP
import Foundation
import Providers
import Testing

/// Shared values and helpers for the provisioners' tests.
enum Provisioning {
    /// The node every test launches.
    static let nodeID = "node_01JD3XQ7"

    /// A launch of `native` on `provider` at `price` per hour, with an image, a command with a
    /// word that needs quoting, and one environment variable.
    static func request(
        provider: String, native: String, market: Market = .onDemand, price: Money = Money(microdollars: 12_290_000),
        gpuCount: Int = 8, diskGB: Int? = 200
    ) -> LaunchRequest {
        let now = Date(timeIntervalSince1970: 1_795_275_000)
        let offer = Offer(
            id: OfferID(provider: provider, native: native), gpu: .unknown("H100"), gpuCount: gpuCount,
            gpuMemoryGB: 80, interconnect: nil, vcpus: 0, memoryGB: 0, diskGB: 0, region: "us-east-1",
            country: "US", market: market, pricePerHour: price, available: 1, reliability: nil, firstSeenAt: now,
            lastSeenAt: now, raw: nil)
        return LaunchRequest(
            nodeID: nodeID, offer: offer, image: "nvcr.io/nvidia/pytorch:24.05-py3",
            command: ["gridbroker", "agent", "--", "torchrun", "train.py", "--note", "it's"],
            environment: ["WANDB_PROJECT": "lora"], diskGB: diskGB)
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
