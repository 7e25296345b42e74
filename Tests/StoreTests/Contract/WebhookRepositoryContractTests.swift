import BrokerCore
import Foundation
import Testing

@testable import Store

@Suite("Webhook deliveries on every backend: notices acted on with the delivery's record, all or nothing")
struct WebhookRepositoryContractTests {
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    /// Job `job_1` with two running nodes of provider `aws`: `node_0` on `us-east-2/i-0aaa` and
    /// `node_1` on `us-east-2/i-0bbb`.
    private func twoRunningNodes(_ store: BrokerStore) async throws {
        try await store.providers.sync([
            ProviderRecord(
                id: "aws", kind: "aws", baseUrl: "http://127.0.0.1:9400/aws", enabled: true, pollIntervalS: 60,
                offerExpiryS: 300, createdAt: start)
        ])
        _ = try await store.teams.create(TeamRecord(id: "team_1", name: "vision", budget: nil, createdAt: start))
        _ = try await store.jobs.submit(
            JobRecord(id: "job_1", teamId: "team_1", name: "llama", spec: #"{"name":"llama"}"#, createdAt: start))
        let offer = Offer(
            id: OfferID(provider: "aws", native: "us-east-2/p5.48xlarge/spot"), gpu: GPUName(resolving: "H100-SXM"),
            gpuCount: 8, gpuMemoryGB: 80, interconnect: nil, vcpus: 192, memoryGB: 2048, diskGB: 0,
            region: "us-east-2", country: "US", market: .spot, pricePerHour: Money(dollars: 30)!, available: 2,
            reliability: nil, firstSeenAt: start, lastSeenAt: start, raw: nil)
        let planned = (0..<2).map {
            NodeRecord(id: "node_\($0)", jobID: "job_1", rank: $0, offer: offer, requestedAt: start)
        }
        _ = try await store.nodes.beginProvisioning(job: "job_1", nodes: planned, at: start)
        for (node, instance) in zip(planned, ["i-0aaa", "i-0bbb"]) {
            _ = try await store.nodes.recordLaunch(
                node: node.id, nativeInstanceID: "us-east-2/" + instance, launchedAt: start, at: start)
            _ = try await store.nodes.apply(.start, toNode: node.id, reason: nil, at: start)
        }
    }

    private func notice(_ instance: String, _ kind: InterruptionNotice.Kind) -> InterruptionNotice {
        InterruptionNotice(
            instanceID: instance, kind: kind, notBefore: start.addingTimeInterval(120), summary: "\(kind) warning")
    }

    @Test(
        "an interruption for a bare EC2 id moves its running node to preempting, on the job's timeline",
        arguments: StoreBackend.available)
    func interruption(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await twoRunningNodes(store)
            let (webhooks, nodes, jobs) = (store.webhooks, store.nodes, store.jobs)
            let at = start.addingTimeInterval(5)
            let outcome = try await webhooks.record(
                notices: [notice("i-0aaa", .interruption)], deliveryID: "d1", provider: "aws", at: at)
            guard case .handled(let handled) = outcome else {
                Issue.record("expected the delivery handled, got \(outcome)")
                return
            }
            #expect(handled.map(\.node.id) == ["node_0"])
            #expect(handled.map(\.preempted) == [true])
            #expect(try await nodes.node(id: "node_0")?.state == .preempting)
            #expect(try await nodes.node(id: "node_1")?.state == .running)
            let timeline = try await jobs.events(ofJob: "job_1").filter { $0.at == at }
            #expect(timeline.map(\.kind) == ["node.notice", "node.state"])
            #expect(
                timeline.first?.message
                    == "node 0: interruption warning for instance i-0aaa, not before 2026-11-18T11:08:40Z")
            #expect(timeline.first?.data?.contains(#""delivery_id":"d1""#) == true)
            #expect(timeline.last?.toState == "preempting")
            #expect(try await webhooks.isDelivered(provider: "aws", deliveryID: "d1"))
            #expect(try await !webhooks.isDelivered(provider: "lambda", deliveryID: "d1"))
        }
    }

    @Test(
        "a reclaim notice for a running job's node moves the job to migrating in the same delivery",
        arguments: StoreBackend.available)
    func runningJobMigrates(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await twoRunningNodes(store)
            let (webhooks, nodes, jobs) = (store.webhooks, store.nodes, store.jobs)
            _ = try await nodes.start(job: "job_1", ifRunning: ["node_0", "node_1"], shards: [:], at: start)
            _ = try await webhooks.record(
                notices: [notice("i-0bbb", .interruption)], deliveryID: "d9", provider: "aws", at: start)
            let job = try #require(try await jobs.job(id: "job_1"))
            #expect(job.state == .migrating)
            #expect(job.reason == "node 1 is being reclaimed: interruption warning")
        }
    }

    @Test("a repeated delivery id changes nothing", arguments: StoreBackend.available)
    func duplicate(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await twoRunningNodes(store)
            let (webhooks, nodes, jobs) = (store.webhooks, store.nodes, store.jobs)
            _ = try await webhooks.record(
                notices: [notice("i-0aaa", .rebalance)], deliveryID: "d1", provider: "aws", at: start)
            let eventsBefore = try await jobs.events(ofJob: "job_1").count
            let again = try await webhooks.record(
                notices: [notice("i-0aaa", .interruption)], deliveryID: "d1", provider: "aws", at: start)
            #expect(again == .duplicate)
            #expect(try await nodes.node(id: "node_0")?.state == .running)
            #expect(try await jobs.events(ofJob: "job_1").count == eventsBefore)
            #expect(try await webhooks.isDelivered(provider: "aws", deliveryID: "d1"))
        }
    }

    @Test(
        "a rebalance only records an event; a reclaim of a node that is no longer running changes no state",
        arguments: StoreBackend.available)
    func noStateChange(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await twoRunningNodes(store)
            let (webhooks, nodes, jobs) = (store.webhooks, store.nodes, store.jobs)
            let rebalance = try await webhooks.record(
                notices: [notice("us-east-2/i-0bbb", .rebalance)], deliveryID: "d1", provider: "aws", at: start)
            let node = try #require(try await nodes.node(id: "node_1"))
            #expect(node.state == .running)
            #expect(
                rebalance
                    == .handled([
                        HandledNotice(notice: notice("us-east-2/i-0bbb", .rebalance), node: node, preempted: false)
                    ]))
            _ = try await nodes.apply(.terminate, toNode: "node_1", reason: nil, at: start)
            _ = try await webhooks.record(
                notices: [notice("i-0bbb", .preempt)], deliveryID: "d2", provider: "aws", at: start)
            #expect(try await nodes.node(id: "node_1")?.state == .terminating)
            #expect(try await jobs.events(ofJob: "job_1").filter { $0.kind == "node.notice" }.count == 2)
        }
    }

    @Test(
        "one unknown instance undoes the whole delivery: no state, no event, no record",
        arguments: StoreBackend.available)
    func allOrNothing(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await twoRunningNodes(store)
            let (webhooks, nodes, jobs) = (store.webhooks, store.nodes, store.jobs)
            let eventsBefore = try await jobs.events(ofJob: "job_1").count
            await #expect(throws: StoreError.notFound(entity: "instance", id: "i-0zzz")) {
                try await webhooks.record(
                    notices: [notice("i-0aaa", .interruption), notice("i-0zzz", .interruption)], deliveryID: "d1",
                    provider: "aws", at: start)
            }
            #expect(try await nodes.node(id: "node_0")?.state == .running)
            #expect(try await jobs.events(ofJob: "job_1").count == eventsBefore)
            #expect(try await !webhooks.isDelivered(provider: "aws", deliveryID: "d1"))
        }
    }

    @Test("an id only matches whole instance ids of the same provider", arguments: StoreBackend.available)
    func matching(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await twoRunningNodes(store)
            let (webhooks, nodes, jobs) = (store.webhooks, store.nodes, store.jobs)
            for instance in ["0aaa", "/i-0aaa", "east-2/i-0aaa"] {
                await #expect(throws: StoreError.notFound(entity: "instance", id: instance)) {
                    try await webhooks.record(
                        notices: [notice(instance, .interruption)], deliveryID: "d-\(instance)", provider: "aws",
                        at: start)
                }
            }
            await #expect(throws: StoreError.notFound(entity: "instance", id: "i-0aaa")) {
                try await webhooks.record(
                    notices: [notice("i-0aaa", .interruption)], deliveryID: "d1", provider: "lambda", at: start)
            }
        }
    }

    @Test("two copies of one delivery on two brokers at once act once", arguments: StoreBackend.available)
    func concurrentCopies(_ backend: StoreBackend) async throws {
        try await backend.withDatabase { open in
            let first = try await open()
            try await twoRunningNodes(first)
            let second = try await open()
            async let a = first.webhooks.record(
                notices: [notice("i-0aaa", .interruption)], deliveryID: "d1", provider: "aws", at: start)
            async let b = second.webhooks.record(
                notices: [notice("i-0aaa", .interruption)], deliveryID: "d1", provider: "aws", at: start)
            let outcomes = try await [a, b]
            #expect(outcomes.filter { $0 == .duplicate }.count == 1)
            #expect(try await first.jobs.events(ofJob: "job_1").filter { $0.kind == "node.notice" }.count == 1)
        }
    }
}
