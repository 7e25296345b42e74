import ArgumentParser
import BrokerCore
import CurlHTTP
import Foundation
import MarketSim

/// `quote`: quote latency against a live book of the simulated market's offers (about 100,000 by
/// default), for the 2-node 8-GPU jobs of the quote target and other job shapes for context.
///
/// The offers come from every provider's pricing API of an in-process simulated market, through
/// libcurl and the providers' adapters, as a poll gets them; the book is built from them once.
struct QuoteBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quote", abstract: "Quote job shapes against the simulated market's live offers.")

    @Option(help: "Provider records in the simulated market (Vast records give an on-demand and a spot offer).")
    var marketRecords = 60_000
    @Option(help: "The market's seed.") var seed: UInt64 = 1
    @Option(help: "Times each job shape is quoted.") var rounds = 1000
    @Option(help: "1-node jobs placed through the scheduler and the simulated market's instance APIs.")
    var jobs = 300

    func run() async throws {
        CurlGlobal.initialize()
        let simulator = MarketSimulator(configuration: MarketConfiguration(seed: seed, totalOffers: marketRecords))
        let (book, bookTime, placement) = try await InProcessMarket.serve(simulator) { baseURL in
            let client = CurlHTTPClient()
            let simulated = try SimulatedProviders(baseURL: baseURL)
            let snapshots = try await simulated.snapshots(transport: client)
            let bookStart = ContinuousClock.now
            let book = OfferBook(offers: snapshots.flatMap(\.1.offers))
            let bookTime = ContinuousClock.now - bookStart
            let placement = try await PlacementThroughput.measure(
                simulated: simulated, book: book, jobs: jobs, transport: client)
            await client.shutdown()
            return (book, bookTime, placement)
        }
        let timings = try QuoteTimings(book: book, shapes: QuoteTimings.all, rounds: rounds)

        var fields: [(String, JSONLine.Value)] = [
            ("benchmark", .string("quote")), ("book_offers", .int(book.count)),
            ("book_build_seconds", .seconds(bookTime)), ("quotes", .int(timings.overall.count)),
        ]
        fields += timings.overall.fields()
        fields += [
            ("jobs_submitted", .int(placement.jobs)), ("jobs_placed", .int(placement.placed)),
            ("placement_seconds", .seconds(placement.elapsed)),
            ("jobs_placed_per_second", .number(placement.jobsPerSecond)),
        ]
        for shape in timings.byShape {
            let summary =
                [("quotes", JSONLine.Value.int(shape.samples.count))] + shape.samples.fields()
                + [("placements", .int(shape.placements)), ("agrees_with_full_ranking", .bool(shape.agrees))]
            fields.append((shape.name, .object(JSONLine(summary))))
        }
        print(JSONLine(fields).text)
    }
}
