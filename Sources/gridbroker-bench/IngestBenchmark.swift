import ArgumentParser
import Broker
import BrokerCore
import CurlHTTP
import Foundation
import Logging
import MarketSim
import Providers
import Store

/// `ingest`: how fast offers go from a provider's answer into SQLite.
///
/// 1. Fetches every provider's pricing answer from an in-process simulated market (not timed).
/// 2. Times parsing + normalizing those answers, then upserting the offers into a fresh database
///    (one transaction per provider, as a poll does); then the next poll of every provider (1 % of
///    the offers repriced): the book working out what changed, and the store writing only that.
/// 3. Times the daemon's whole path on another fresh database: one poll of every provider through
///    libcurl into SQLite and the live offer book, all providers at once.
/// 4. Times `GET /v1/offers`-style searches (first page of 100) and `POST /v1/quotes`-style quotes
///    on that book.
struct IngestBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Parse, normalize and upsert a simulated market's offers; poll it end to end.")

    @Option(help: "Provider records in the simulated market (Vast records give an on-demand and a spot offer).")
    var marketRecords = 60_000
    @Option(help: "The market's seed.") var seed: UInt64 = 1

    func run() async throws {
        // libcurl's global state before the simulated market's threads exist.
        CurlGlobal.initialize()
        let simulator = MarketSimulator(configuration: MarketConfiguration(seed: seed, totalOffers: marketRecords))
        let records = simulator.summary.totalOffers
        let result = try await InProcessMarket.serve(simulator) { baseURL in
            try await Self.measure(baseURL: baseURL, records: records)
        }
        print(result)
    }

    private static func measure(baseURL: String, records: Int) async throws -> String {
        let simulated = try SimulatedProviders(baseURL: baseURL)
        let providers = simulated.providers
        let client = CurlHTTPClient()

        // 1 + 2: parse and normalize, then upsert.
        let recorder = RecordingTransport(client)
        _ = try await simulated.snapshots(transport: recorder)
        let replay = ReplayTransport(recorder.answers)
        let parseStart = ContinuousClock.now
        let snapshots = try await simulated.snapshots(transport: replay)
        let parseTime = ContinuousClock.now - parseStart
        let offers = snapshots.map(\.1.offers.count).reduce(0, +)

        let ingestDatabase = try BenchDatabase.fresh(providers)
        let repository = SQLiteOfferRepository(database: ingestDatabase)
        // What each poll changes is worked out by the book, as the daemon's pollers do; the first
        // poll into a fresh database writes every offer.
        var book = OfferBook()
        var upsertTime = Duration.zero
        for (provider, snapshot) in snapshots {
            let now = Date()
            let listing = Self.relisted(snapshot.offers, at: now) { _ in false }
            let changes: OfferChanges
            (book, changes) = book.updated(
                provider: provider, listing: listing, at: now, expiredBefore: now.addingTimeInterval(-300))
            let start = ContinuousClock.now
            _ = try await repository.ingest(changes, listing: listing, provider: provider, at: now)
            upsertTime += ContinuousClock.now - start
        }
        // The next poll, a running daemon's steady state: every offer listed again, one in a hundred
        // at a new price. Timed: the book working out the changes, and the store writing them.
        let next = Date().addingTimeInterval(30)
        let relisted = snapshots.map { provider, snapshot in
            (provider, Self.relisted(snapshot.offers, at: next) { $0 % 100 == 0 })
        }
        var againDiffTime = Duration.zero
        var againWriteTime = Duration.zero
        var againWritten = 0
        for (provider, listing) in relisted {
            let diffStart = ContinuousClock.now
            let changes: OfferChanges
            (book, changes) = book.updated(
                provider: provider, listing: listing, at: next, expiredBefore: next.addingTimeInterval(-300))
            let writeStart = ContinuousClock.now
            _ = try await repository.ingest(changes, listing: listing, provider: provider, at: next)
            againDiffTime += writeStart - diffStart
            againWriteTime += ContinuousClock.now - writeStart
            againWritten += changes.upserted.count
        }

        // 3: the daemon's pollers, end to end.
        var endToEnd = simulated.configuration
        endToEnd.providers = providers
        let pollDatabase = try BenchDatabase.fresh([])
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let market = try await MarketData.start(
            configuration: endToEnd, store: .sqlite(pollDatabase), transport: client, clock: SystemClock(),
            environment: SimulatedProviders.environment, logger: logger)
        let pollStart = ContinuousClock.now
        let reports = try await withThrowingTaskGroup(of: PollReport?.self) { group in
            for poller in market.pollers {
                group.addTask {
                    try await poller.run()
                    return nil
                }
                group.addTask { await poller.pollNow() }
            }
            var reports: [PollReport] = []
            while reports.count < market.pollers.count, let next = try await group.next() {
                if let report = next { reports.append(report) }
            }
            group.cancelAll()
            return reports
        }
        let pollTime = ContinuousClock.now - pollStart
        await client.shutdown()
        let search = SearchTimings(book: market.market.current)
        let quotes = try QuoteTimings(book: market.market.current)
        let update = Self.bookUpdateTime(market.market.current, snapshots: snapshots)

        let failures = reports.compactMap(\.error)
        let polledOffers = reports.map(\.offers).reduce(0, +)
        let total = parseTime + upsertTime
        let againTotal = parseTime + againDiffTime + againWriteTime
        return JSONLine([
            ("benchmark", .string("ingest")),
            ("market_records", .int(records)),
            ("market_answer_bytes", .int(recorder.bytes)),
            ("offers", .int(offers)),
            ("parse_normalize_seconds", .seconds(parseTime)),
            ("upsert_seconds", .seconds(upsertTime)),
            ("parse_normalize_upsert_seconds", .seconds(total)),
            ("offers_per_second", .int(Int(Double(offers) / total.timeInterval))),
            ("seconds_per_100k_offers", .number(total.timeInterval * 100_000 / Double(max(offers, 1)))),
            ("again_offers_written", .int(againWritten)),
            ("again_book_seconds", .seconds(againDiffTime)),
            ("upsert_again_seconds", .seconds(againWriteTime)),
            ("again_seconds_per_100k_offers", .number(againTotal.timeInterval * 100_000 / Double(max(offers, 1)))),
            ("end_to_end_poll_seconds", .seconds(pollTime)),
            ("end_to_end_offers", .int(polledOffers)),
            ("end_to_end_failures", .int(failures.count)),
            ("book_offers", .int(search.offers)),
            ("search_queries", .int(search.samples.count)),
            ("search_p50_ms", .number(search.samples.p50Milliseconds)),
            ("search_p99_ms", .number(search.samples.p99Milliseconds)),
            ("quote_count", .int(quotes.overall.count)),
            ("quote_p50_ms", .number(quotes.overall.p50Milliseconds)),
            ("quote_p99_ms", .number(quotes.overall.p99Milliseconds)),
            ("book_update_small_provider_ms", .number(update.small)),
            ("book_update_largest_provider_ms", .number(update.largest)),
        ]).text
    }

    /// How long the live book takes to take in the next poll of the smallest and of the largest
    /// provider (median of 15), as a poller does after each poll: the provider's offers listed again
    /// in the order of its last listing, one in a hundred at a new price (the simulated market
    /// reprices each offer every 15 minutes to 2 hours).
    private static func bookUpdateTime(_ book: OfferBook, snapshots: [(String, PricingSnapshot)]) -> (
        small: Double, largest: Double
    ) {
        let ordered = snapshots.sorted { $0.1.offers.count < $1.1.offers.count }
        func median(_ provider: String, _ offers: [Offer]) -> Double {
            let listedAt = Date()
            let listed = book.updated(
                provider: provider, listing: relisted(offers, at: listedAt) { _ in false }, at: listedAt,
                expiredBefore: listedAt.addingTimeInterval(-300)
            ).book
            let times = (0..<15).map { round in
                let now = listedAt.addingTimeInterval(30)
                let next = relisted(offers, at: now) { $0 % 100 == round }
                let start = ContinuousClock.now
                let updated = listed.updated(
                    provider: provider, listing: next, at: now, expiredBefore: now.addingTimeInterval(-300))
                let time = ContinuousClock.now - start
                precondition(updated.changes.upserted.count <= (next.count + 99) / 100)
                return time.timeInterval * 1000
            }
            return times.sorted()[7]
        }
        guard let small = ordered.first, let large = ordered.last else { return (0, 0) }
        return (median(small.0, small.1.offers), median(large.0, large.1.offers))
    }

    /// `offers` listed at `now`, those whose index `repriced` picks at a 1 % higher price.
    private static func relisted(_ offers: [Offer], at now: Date, repriced: (Int) -> Bool) -> [Offer] {
        offers.enumerated().map { index, offer in
            var offer = offer
            (offer.firstSeenAt, offer.lastSeenAt) = (now, now)
            if repriced(index) {
                offer.pricePerHour = Money(microdollars: offer.pricePerHour.microdollars * 101 / 100)
            }
            return offer
        }
    }
}
