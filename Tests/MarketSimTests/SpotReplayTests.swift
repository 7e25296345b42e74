import BrokerCore
import Foundation
import HummingbirdTesting
import Testing

@testable import MarketSim

/// Spot capacity that follows availability traces (`gridbroker sim --traces`).
@Suite("Spot capacity replayed from traces")
struct SpotReplayTests {
    /// Spot for two ticks, none for two, then spot again.
    static let trace = SpotTrace(tickSeconds: 195, available: [true, true, false, false, true])

    static func simulator(clock: ManualClock, notices: RecordedNotices) -> MarketSimulator {
        MarketSimulator(
            configuration: MarketConfiguration(
                seed: 1, totalOffers: 5_000, instanceTimings: InstanceTimings(bootSeconds: 1),
                spotReplay: SpotTraceReplay(
                    traces: [NamedSpotTrace(name: "aws-02-15-2023__us-east-1a_v100_1.json", trace: trace)],
                    tickSeconds: 10, noticeSeconds: 5)),
            clock: clock, notices: notices)
    }

    /// A spot launch on `provider` (EC2 in the first us-east-1 zone it sells a type in).
    static func launchSpot(
        _ provider: SimulatedProvider, _ simulator: MarketSimulator, _ client: some TestClientProtocol
    ) async throws -> TestResponse {
        switch provider {
        case .aws:
            let series = Launch.awsSeries(simulator)
            return try await Launch.aws(
                series.type, zone: series.zone, node: "s1", extra: "&InstanceMarketOptions.MarketType=spot", client)
        case .vast:
            return try await client.execute(
                uri: "/vast/api/v0/asks/\(Launch.vastAsk(simulator))/", method: .put, headers: Launch.vastHeaders,
                body: jsonBody(#"{"client_id":"me","image":"img","label":"gridbroker-s1","price":100}"#))
        default:
            let type = Launch.runpodType(simulator).type
            let query =
                "mutation { podRentInterruptable(input: {bidPerGpu: 100, cloudType: ALL, gpuCount: 1, "
                + "gpuTypeId: \\\"\(type.id)\\\", name: \\\"gridbroker-s1\\\", imageName: \\\"img\\\"}) { id } }"
            return try await client.execute(
                uri: "/runpod/graphql?api_key=sim", method: .post, body: jsonBody("{\"query\": \"\(query)\"}"))
        }
    }

    @Test("a zone's trace assigns itself first; every other zone follows the traces in turn")
    func mapping() {
        let trace = SpotTrace(tickSeconds: 600, available: [true])
        let zones = SpotZones(
            zones: ["aws/us-east-1a", "aws/us-east-1b", "runpod/H100", "vast/DE"],
            replay: SpotTraceReplay(
                traces: ["c__us-east-1a_k80_8.json", "b__us-east-1a_v100_1.json", "a__us-west-2a_k80_1.json"].map {
                    NamedSpotTrace(name: $0, trace: trace)
                }),
            start: 0)
        #expect(zones.traceName(of: "aws/us-east-1a") == "b__us-east-1a_v100_1.json")
        #expect(zones.traceName(of: "aws/us-east-1b") == "a__us-west-2a_k80_1.json")
        #expect(zones.traceName(of: "runpod/H100") == "b__us-east-1a_v100_1.json")
        #expect(zones.traceName(of: "vast/DE") == "c__us-east-1a_k80_8.json")
        #expect(SpotZones().traceName(of: "vast/DE") == nil)
        #expect(SpotZones().hasSpot("vast/DE", at: 0))
    }

    @Test("ticks follow the clock, the trace starts over after its end, and outages are seen ahead")
    func ticks() {
        let zones = SpotZones(
            zones: ["aws/us-east-1a"],
            replay: SpotTraceReplay(traces: [NamedSpotTrace(name: "t.json", trace: Self.trace)], tickSeconds: 10),
            start: 1_000)
        let spot = (0..<12).map { zones.hasSpot("aws/us-east-1a", at: 1_000 + Double($0) * 5) }
        #expect(spot == [true, true, true, true, false, false, false, false, true, true, true, true])
        #expect(zones.nextOutage("aws/us-east-1a", from: 1_014, within: 5) == nil)
        #expect(zones.nextOutage("aws/us-east-1a", from: 1_016, within: 5) == 1_020)
        #expect(zones.nextOutage("aws/us-east-1a", from: 1_025, within: 5) == 1_025)
        #expect(zones.nextOutage("aws/us-east-1a", from: 1_046, within: 25) == 1_070)
    }

    @Test(
        "while the trace says no spot, spot launches are refused in the provider's words",
        arguments: [
            SimulatedProvider.aws, .vast, .runpod,
        ])
    func refusedWhileDry(provider: SimulatedProvider) async throws {
        let clock = ManualClock(now: referenceDate)
        let simulator = Self.simulator(clock: clock, notices: RecordedNotices())
        try await withClient(simulator) { client in
            clock.advance(by: 20)
            let refused = try await Self.launchSpot(provider, simulator, client)
            #expect(InstanceControlTests.isCapacityRefusal(refused, provider))
            clock.advance(by: 20)
            let launched = try await Self.launchSpot(provider, simulator, client)
            #expect(launched.status == .ok)
            #expect(!InstanceControlTests.isCapacityRefusal(launched, provider))
            let spot = try await SimInstances.fetch(client).filter { $0.spotZone != nil }
            #expect(spot.count == 1)
        }
    }

    @Test("running spot instances are reclaimed when the zone runs dry, announced the notice ahead")
    func reclaimedWithNotice() async throws {
        let clock = ManualClock(now: referenceDate)
        let notices = RecordedNotices()
        let simulator = Self.simulator(clock: clock, notices: notices)
        try await withClient(simulator) { client in
            #expect(try await Self.launchSpot(.aws, simulator, client).status == .ok)
            #expect(try await Launch.any(.aws, name: "gridbroker-o1", simulator, client).status == .ok)
            clock.advance(by: 14)
            #expect(await simulator.advance().isEmpty)
            #expect(notices.notices.isEmpty)

            clock.advance(by: 2)
            let notes = await simulator.advance()
            let spot = try #require(try await SimInstances.fetch(client).first { $0.spotZone != nil })
            #expect(notes.count == 1 && notes[0].contains(spot.id))
            #expect(
                notices.notices == [
                    ReclaimNotice(provider: .aws, nativeID: spot.nativeId, notBefore: referenceDate + 20)
                ])
            #expect(await simulator.advance().isEmpty)
            #expect(notices.notices.count == 1)
            clock.advance(by: 3)
            #expect(try await SimInstances.fetch(client).map(\.state) == ["running", "running"])
            clock.advance(by: 1)
            let states = try await SimInstances.fetch(client).map { "\($0.spotZone ?? "on-demand") \($0.state)" }
            #expect(states == ["\(spot.spotZone ?? "") stopping", "on-demand running"])
        }
    }
}
