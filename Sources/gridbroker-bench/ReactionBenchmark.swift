import ArgumentParser
import Broker
import BrokerCore
import BrokerHTTP
import Crypto
import CurlHTTP
import Foundation
import Logging
import Prometheus
import Providers
import Store
import Synchronization

/// `reaction`: from a signed interruption webhook arriving at the broker's HTTP API to the
/// replacement node's launch request reaching the provider (whose own latency is left out: the
/// provisioner answers at once), with the daemon's scheduler running as it does in `serve`.
struct ReactionBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reaction", abstract: "Time from an interruption webhook to the replacement's launch request.")

    @Option(help: "Interruptions measured.") var rounds = 200
    @Option(help: "Spot offers in the live book (the replacement is quoted among them).") var offers = 20_000
    @Option(help: "Clients sending API requests (offer searches, quotes, job lists) all the while.")
    var backgroundClients = 4

    func run() async throws {
        CurlGlobal.initialize()
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let database = try BenchDatabase.fresh([ProviderConfiguration(id: "aws", kind: .aws, baseURL: "http://unused")])
        let clock = SystemClock()
        try await DefaultTeam.ensure(in: SQLiteTeamRepository(database: database), at: clock.now)
        let provider = InstantProvider(providerID: "aws")
        // A long interval: only wake-ups (the webhook's) make the scheduler act.
        let settings = SchedulerSettings(interval: .seconds(3600), reconcileInterval: .seconds(3600))
        let fleet = Fleet(
            store: .sqlite(database), market: LiveMarket(OfferBook(offers: Self.market(offers, at: clock.now))),
            provisioners: Provisioners([provider]), transport: UnusedTransport(), clock: clock, settings: settings,
            agent: AgentDelivery(brokerURL: settings.agentBrokerURL, sha256: BenchAgent.sha256), logger: logger)
        let key = SymmetricKey(data: Array("gridbroker-bench-webhook-secret!".utf8))
        var dependencies = APIDependencies(
            store: .sqlite(database), metrics: PrometheusCollectorRegistry(), clock: clock, fleet: fleet.signals,
            webhookVerifier: WebhookVerifier(keys: [key]))
        // The background load stands for many teams' clients: one token must not be held to one client's rate.
        dependencies.rateLimit = TokenBucket.Limit(perSecond: 1_000_000, burst: 1_000_000)
        let nodes = SQLiteNodeRepository(database: database)
        let jobs = SQLiteJobRepository(database: database)

        let member = try await APITokens(tokens: SQLiteTokenRepository(database: database), clock: clock)
            .issue(name: "bench", role: .member, team: DefaultTeam.id)
        let background = BackgroundLoad(token: member.token)
        let wall = ContinuousClock()
        let began = wall.now
        let samples = try await InProcessMarket.serve(router: buildRouter(dependencies)) { api in
            try await withThrowingTaskGroup(of: LatencySamples?.self) { group in
                group.addTask {
                    try await fleet.scheduler.run()
                    return nil
                }
                for _ in 0..<backgroundClients {
                    group.addTask {
                        try await background.run(api: api)
                        return nil
                    }
                }
                group.addTask {
                    let client = CurlHTTPClient()
                    var samples = LatencySamples()
                    for round in 0..<rounds {
                        let node = try await Self.runningNode(round: round, fleet: fleet, jobs: jobs, nodes: nodes)
                        let launchesBefore = provider.launchCount
                        let body = Array(
                            #"{"instance_id": "\#(node.nativeInstanceId ?? "")", "action": "interruption"}"#.utf8)
                        let id = "msg_\(round)"
                        let timestamp = String(Int(Date().timeIntervalSince1970))
                        let signature = WebhookVerifier.signature(id: id, timestamp: timestamp, body: body, key: key)
                        let start = ContinuousClock.now
                        let response = try await client.execute(
                            HTTPRequest(
                                method: .post, url: "\(api)/v1/webhooks/aws",
                                headers: [
                                    "Content-Type": "application/json", "webhook-id": id,
                                    "webhook-timestamp": timestamp,
                                    "webhook-signature": signature,
                                ], body: body, retry: .none))
                        guard response.isSuccess else { throw BenchError("webhook answered \(response.status)") }
                        let launched = try await provider.waitForLaunch(after: launchesBefore)
                        samples.add(launched - start)
                        _ = try await nodes.finish(job: node.jobId, with: .cancel, reason: "bench", at: Date())
                    }
                    await client.shutdown()
                    return samples
                }
                defer { group.cancelAll() }
                for try await result in group {
                    if let result { return result }
                }
                throw BenchError("no samples")
            }
        }
        let seconds = (wall.now - began) / .seconds(1)
        let fields: [(String, JSONLine.Value)] =
            [
                ("benchmark", .string("reaction")), ("rounds", .int(samples.count)), ("book_offers", .int(offers)),
                ("background_clients", .int(backgroundClients)), ("background_requests", .int(background.answered)),
                ("background_requests_per_s", .int(Int(Double(background.answered) / max(seconds, 0.001)))),
            ]
            + samples.fields()
        print(JSONLine(fields).text)
    }

    /// A job placed on spot and running: submitted, placed by the scheduler (woken by the
    /// submission), its node reported running.
    private static func runningNode(
        round: Int, fleet: Fleet, jobs: SQLiteJobRepository, nodes: SQLiteNodeRepository
    ) async throws -> NodeRecord {
        let spec = JobSpec(
            name: "reaction-\(round)", resources: JobSpec.Resources(gpu: ["H100-SXM"], gpusPerNode: 8, nodes: 1),
            market: .spot, image: "img", command: ["train"])
        let job = try await jobs.submit(
            JobRecord(
                id: Identifier.make("job", at: Date()), teamId: DefaultTeam.id, name: spec.name,
                spec: String(decoding: try JSONEncoder().encode(spec), as: UTF8.self), createdAt: Date()))
        fleet.signals.jobSubmitted()
        while true {
            if let node = try await nodes.nodes(ofJob: job.id).last, node.state == .booting {
                _ = try await nodes.apply(.start, toNode: node.id, reason: "bench", at: Date())
                fleet.signals.jobSubmitted()
                while try await jobs.job(id: job.id)?.state != .running { await Task.yield() }
                return try await nodes.node(id: node.id) ?? node
            }
            await Task.yield()
        }
    }

    /// `count` spot offers of 8 H100-SXMs spread over 40 zones.
    private static func market(_ count: Int, at now: Date) -> [Offer] {
        (0..<count).map { index in
            Offer(
                id: OfferID(provider: "aws", native: "p5.48xlarge:zone-\(index % 40):\(index):spot"),
                gpu: GPUName(resolving: "H100-SXM"), gpuCount: 8, gpuMemoryGB: 80, interconnect: "nvlink", vcpus: 192,
                memoryGB: 2048, diskGB: 8000, region: "zone-\(index % 40)", country: "US", market: .spot,
                pricePerHour: Money(microdollars: 10_000_000 + Int64(index) * 1_000), available: 4, reliability: nil,
                firstSeenAt: now, lastSeenAt: now, raw: nil)
        }
    }
}

/// API requests sent while interruptions are measured: searches, quotes and job lists, one after
/// another per client, each expected to succeed.
private final class BackgroundLoad: Sendable {
    private let count = Atomic<Int>(0)
    /// A team member's API token, as a team's client would send.
    private let token: String

    init(token: String) {
        self.token = token
    }

    var answered: Int { count.load(ordering: .relaxed) }

    func run(api: String) async throws {
        let client = CurlHTTPClient()
        do {
            try await load(api: api, client: client)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }

    private func load(api: String, client: CurlHTTPClient) async throws {
        let quote = Array(
            #"{"name": "q", "resources": {"gpu": ["H100-SXM"], "gpus_per_node": 8, "nodes": 2}, "image": "i", "command": ["c"]}"#
                .utf8)
        let headers: HTTPHeaders = ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]
        let requests = [
            HTTPRequest(method: .get, url: "\(api)/v1/offers?gpu=H100&limit=20", headers: headers, retry: .none),
            HTTPRequest(method: .post, url: "\(api)/v1/quotes", headers: headers, body: quote, retry: .none),
            HTTPRequest(method: .get, url: "\(api)/v1/jobs?limit=20", headers: headers, retry: .none),
        ]
        while !Task.isCancelled {
            for request in requests {
                let response = try await client.execute(request)
                guard response.isSuccess else {
                    throw BenchError("background \(request.url) answered \(response.status)")
                }
                count.add(1, ordering: .relaxed)
            }
        }
    }
}
