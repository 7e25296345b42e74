import BrokerCore
import CurlHTTP
import Foundation
import Testing

@testable import MarketSim
@testable import gridbroker

/// The simulated market's node agents against a fake broker, on a manual clock: heartbeats, shards
/// at the GPU's speed, checkpoints, stop, and a reclaimed machine going quiet.
@Suite("Simulated agents")
struct SimulatedAgentTests {
    private let clock = ManualClock(now: Date(timeIntervalSince1970: 1_795_273_200))
    private let client = CurlHTTPClient()

    /// A market whose agents take 10 s per shard on one A100-80GB and heartbeat every 5 s.
    private func simulator(checkpointEvery: Int = 100) -> MarketSimulator {
        MarketSimulator(
            configuration: MarketConfiguration(
                seed: 1, totalOffers: 1_000, instanceTimings: InstanceTimings(bootSeconds: 0)),
            clock: clock,
            agents: AgentSimulation(
                transport: HeartbeatClient(client: client), shardSeconds: 10, heartbeatInterval: .seconds(5),
                checkpointEveryShards: checkpointEvery))
    }

    /// Launches a Vast node with one `gpu` whose environment points its agent at `broker`.
    private func launch(_ simulator: MarketSimulator, gpu: String, broker: String) throws -> String {
        let outcome = simulator.instances.launch(
            .vast, candidates: [.init(pool: "vast:\(broker)", capacity: 1)], units: 1, count: 1,
            at: clock.now.timeIntervalSince1970
        ) { _ in
            var instance = SimulatedInstance(
                name: "gridbroker-node", offer: "1", type: gpu, region: "DE", image: "img", pricePerHour: 1)
            instance.environment = ["GRIDBROKER_URL": broker + "/", "GRIDBROKER_AGENT_TOKEN": FakeBroker.token]
            instance.setGPU(named: gpu, count: 1)
            return instance
        }
        var made: [SimulatedInstance] = []
        if case .launched(let launched) = outcome { made = launched }
        return try #require(made.first).id
    }

    /// Advances the simulator now, then every second for `seconds` seconds.
    private func run(_ simulator: MarketSimulator, for seconds: Int) async {
        _ = await simulator.advance()
        for _ in 0..<seconds {
            clock.advance(by: 1)
            _ = await simulator.advance()
        }
    }

    @Test("agents heartbeat every interval and finish shards at their GPU's speed")
    func shardsAtTheGPUsSpeed() async throws {
        let fast = FakeBroker(shards: Array(0..<40))
        let slow = FakeBroker(shards: Array(0..<40))
        try await fast.serve { fastURL in
            try await slow.serve { slowURL in
                let simulator = simulator()
                _ = try launch(simulator, gpu: "H100-SXM", broker: fastURL)
                _ = try launch(simulator, gpu: "A100-80GB", broker: slowURL)
                await run(simulator, for: 60)
            }
        }
        for broker in [fast, slow] {
            #expect(broker.heartbeats.map(\.status) == ["starting"] + Array(repeating: "running", count: 12))
            let done = broker.heartbeats.map { $0.shardsDone ?? [] }
            // Each machine reports one private address, its own.
            #expect(Set(broker.heartbeats.map(\.address)).count == 1)
            #expect(broker.heartbeats.first?.address?.hasPrefix("10.") == true)
            #expect(zip(done, done.dropFirst()).allSatisfy { $0.count <= $1.count && $1.starts(with: $0) })
        }
        // One shard takes 10 s on an A100-80GB, 10 / 3.17 s on an H100-SXM.
        #expect(slow.heartbeats.first?.address != fast.heartbeats.first?.address)
        #expect(slow.heartbeats.last?.shardsDone == Array(0..<6))
        #expect(fast.heartbeats.last?.shardsDone == Array(0..<Int(60 / (10 / 3.17))))
        await client.shutdown()
    }

    @Test("checkpoints go on from the resumed step, every few shards and when the broker asks")
    func checkpoints() async throws {
        let broker = FakeBroker(shards: Array(0..<40), resumeFrom: "s3://ckpt/run-7/step-40")
        let start = clock.now
        try await broker.serve { url in
            let simulator = simulator(checkpointEvery: 4)
            _ = try launch(simulator, gpu: "A100-80GB", broker: url)
            await run(simulator, for: 52)
            broker.ask("checkpoint")
            await run(simulator, for: 8)
        }
        // Four shards by 40 s: step 44, reported at 40, 45, 50 and 55 s; the answer at 55 s asks for
        // one, after five shards, reported at 60 s.
        let checkpoints = broker.heartbeats.compactMap(\.checkpoint)
        #expect(
            checkpoints.map(\.uri) == Array(repeating: "s3://ckpt/run-7/step-44", count: 4) + [
                "s3://ckpt/run-7/step-45"
            ])
        #expect(checkpoints.map { RFC3339.date(from: $0.at) } == [40, 40, 40, 40, 55].map { start + $0 })
        await client.shutdown()
    }

    @Test("on stop the agent reports exited once and goes quiet")
    func stop() async throws {
        let broker = FakeBroker(shards: Array(0..<40))
        try await broker.serve { url in
            let simulator = simulator()
            _ = try launch(simulator, gpu: "A100-80GB", broker: url)
            await run(simulator, for: 12)
            broker.ask("stop")
            await run(simulator, for: 30)
        }
        let last = try #require(broker.heartbeats.last)
        #expect(broker.heartbeats.map(\.status) == ["starting", "running", "running", "running", "exited"])
        #expect(last.exitCode == 0)
        #expect(last.shardsDone == [0])
        await client.shutdown()
    }

    @Test("a reclaimed machine's agent stops without a word")
    func reclaimed() async throws {
        let broker = FakeBroker(shards: Array(0..<40))
        try await broker.serve { url in
            let simulator = simulator()
            let id = try launch(simulator, gpu: "A100-80GB", broker: url)
            await run(simulator, for: 7)
            _ = await simulator.reclaim(.vast, id: id, notice: 0, at: clock.now)
            await run(simulator, for: 30)
        }
        #expect(broker.heartbeats.map(\.status) == ["starting", "running"])
        await client.shutdown()
    }
}
