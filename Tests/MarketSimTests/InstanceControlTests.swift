import BrokerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import MarketSim

@Suite("Instances across providers: the control API and faults")
struct InstanceControlTests {
    /// Whether `response` is `provider`'s refusal for lack of capacity.
    static func isCapacityRefusal(_ response: TestResponse, _ provider: SimulatedProvider) -> Bool {
        switch provider {
        case .vast:
            return jsonValue(response.body, "error") as? String == "no_such_ask"
        case .runpod:
            return (try? decode(RunPodErrors.self, response.body))?.errors.first?.message == RunPodPods.noInstances
        case .lambda:
            return (try? decode(LambdaError.self, response.body))?.error.code
                == "instance-operations/launch/insufficient-capacity"
        case .aws:
            return xmlValues("Code", in: text(response.body)) == ["InsufficientInstanceCapacity"]
        case .shadeform:
            return response.status == .conflict
        }
    }

    @Test("the no_capacity fault refuses every launch in the provider's words", arguments: SimulatedProvider.allCases)
    func capacityFault(provider: SimulatedProvider) async throws {
        let simulator = makeSimulator()
        try await withClient(simulator) { client in
            let put = try await client.execute(
                uri: "/_sim/faults/\(provider.rawValue)", method: .put, body: jsonBody(#"{"no_capacity": true}"#))
            #expect(jsonValue(put.body, "no_capacity") as? Bool == true)
            let refused = try await Launch.any(provider, name: "gridbroker-f1", simulator, client)
            #expect(Self.isCapacityRefusal(refused, provider))
            #expect(try await SimInstances.fetch(client).isEmpty)

            _ = try await client.execute(uri: "/_sim/faults/\(provider.rawValue)", method: .delete)
            let launched = try await Launch.any(provider, name: "gridbroker-f2", simulator, client)
            #expect(launched.status == .ok)
            #expect(!Self.isCapacityRefusal(launched, provider))
            #expect(try await SimInstances.fetch(client).map(\.name) == ["gridbroker-f2"])
        }
    }

    @Test("instance endpoints go through the fault path: a rate limit answers 429 and launches nothing")
    func rateLimitedLaunch() async throws {
        let simulator = makeSimulator(faults: [.lambda: FaultPlan(rateLimit: .init(retryAfterSeconds: 1))])
        try await withClient(simulator) { client in
            let response = try await Launch.any(.lambda, name: "gridbroker-r1", simulator, client)
            #expect(response.status == .tooManyRequests)
            #expect(try await SimInstances.fetch(client).isEmpty)
        }
    }

    @Test("GET /_sim/instances lists every provider's live instances until they are terminated")
    func liveInstances() async throws {
        let clock = ManualClock(now: referenceDate)
        let simulator = makeSimulator(clock: clock)
        try await withClient(simulator) { client in
            for provider in SimulatedProvider.allCases {
                let response = try await Launch.any(
                    provider, name: "gridbroker-\(provider.rawValue)", simulator, client)
                #expect(response.status == .ok)
            }
            let live = try await SimInstances.fetch(client)
            #expect(live.map(\.provider) == SimulatedProvider.allCases.map(\.rawValue))
            #expect(live.map(\.name) == SimulatedProvider.allCases.map { "gridbroker-\($0.rawValue)" })
            #expect(Set(live.map(\.state)) == ["booting"])
            let aws = try #require(live.first { $0.provider == "aws" })
            #expect(aws.nativeId == "us-east-1/" + aws.id)
            #expect(aws.offer.hasSuffix(":on_demand"))
            let vast = try #require(live.first { $0.provider == "vast" })
            #expect(vast.offer == String(Launch.vastAsk(simulator)))

            clock.advance(by: 30)
            #expect(Set(try await SimInstances.fetch(client).map(\.state)) == ["running"])
            let lambda = try #require(live.first { $0.provider == "lambda" })
            _ = try await LambdaInstanceTests.terminate([lambda.id], client)
            #expect(try await SimInstances.fetch(client).first { $0.id == lambda.id }?.state == "stopping")
            clock.advance(by: 10)
            #expect(try await SimInstances.fetch(client).map(\.provider) == ["vast", "runpod", "aws", "shadeform"])
        }
    }

    @Test(
        "a reclaim takes an instance back at once; an unknown instance is a 404", arguments: SimulatedProvider.allCases)
    func reclaim(provider: SimulatedProvider) async throws {
        let simulator = makeSimulator()
        try await withClient(simulator) { client in
            _ = try await Launch.any(provider, name: "gridbroker-r1", simulator, client)
            let instance = try #require(try await SimInstances.fetch(client).first)
            let reclaimed = try await client.execute(
                uri: "/_sim/instances/\(provider.rawValue)/\(instance.id)/reclaim", method: .post)
            #expect(reclaimed.status == .ok)
            #expect(try await SimInstances.fetch(client).allSatisfy { $0.state == "stopping" })
            let unknown = try await client.execute(
                uri: "/_sim/instances/\(provider.rawValue)/nope/reclaim", method: .post)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("a reclaim with notice is announced first; the instance runs until the notice is up")
    func reclaimWithNotice() async throws {
        let clock = ManualClock(now: referenceDate)
        let sent = RecordedNotices()
        let simulator = MarketSimulator(
            configuration: MarketConfiguration(seed: 1, totalOffers: 5_000), clock: clock, notices: sent)
        try await withClient(simulator) { client in
            _ = try await Launch.any(.aws, name: "gridbroker-n1", simulator, client)
            clock.advance(by: 30)
            let instance = try #require(try await SimInstances.fetch(client).first)
            let reply = try await client.execute(
                uri: "/_sim/instances/aws/\(instance.id)/reclaim?notice_s=120", method: .post)
            #expect(jsonValue(reply.body, "notified") as? Bool == true)
            #expect(
                sent.notices == [
                    ReclaimNotice(
                        provider: .aws, nativeID: instance.nativeId, notBefore: clock.now.addingTimeInterval(120))
                ])
            clock.advance(by: 119)
            #expect(try await SimInstances.fetch(client).first?.state == "running")
            clock.advance(by: 1)
            #expect(try await SimInstances.fetch(client).first?.state == "stopping")
            let bad = try await client.execute(
                uri: "/_sim/instances/aws/\(instance.id)/reclaim?notice_s=soon", method: .post)
            #expect(bad.status == .badRequest)
        }
    }

    @Test("ids are the providers' formats and the same for the same seed")
    func deterministicIDs() throws {
        for provider in SimulatedProvider.allCases {
            let ids = (0..<50).map { InstanceIDs.make(provider, seed: 7, number: $0) }
            #expect(Set(ids).count == 50)
            #expect(ids == (0..<50).map { InstanceIDs.make(provider, seed: 7, number: $0) })
            #expect(ids != (0..<50).map { InstanceIDs.make(provider, seed: 8, number: $0) })
        }
        #expect(Int(InstanceIDs.make(.vast, seed: 1, number: 1))! > Int(InstanceIDs.make(.vast, seed: 1, number: 0))!)
    }
}

/// Reclaim notices the simulated market sent.
final class RecordedNotices: ReclaimNoticeSender {
    private let sent = Mutex<[ReclaimNotice]>([])

    var notices: [ReclaimNotice] { sent.withLock { $0 } }

    func send(_ notice: ReclaimNotice) async throws {
        sent.withLock { $0.append(notice) }
    }
}
