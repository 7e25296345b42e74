import ArgumentParser
import BrokerCore
import Foundation

/// `query`: the neutral catalog benchmark of `shared/bench`. Loads the offers into the daemon's
/// in-memory ``OfferBook``, answers every query with the book's search (the one `GET /v1/offers`
/// uses), writes the answers, and times each query; with `--expected`, counts the answers that
/// agree with the expected ones.
struct QueryBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Answer neutral catalog queries on the in-memory offer book.")

    @Option(help: "The offers (JSON lines, shared/bench format).") var offers: String
    @Option(help: "The queries (JSON lines).") var queries: String
    @Option(help: "Where to write the answers (JSON lines).") var answers: String
    @Option(help: "Expected answers to compare with (JSON lines).") var expected: String?
    @Option(help: "Times each query is asked (answers come from the first round).") var rounds = 3

    func run() throws {
        let loadStart = ContinuousClock.now
        let catalog = try Self.read(offers) { text throws(NeutralCatalogError) in
            try NeutralOffers.parse(text, seenAt: Date())
        }
        let loadTime = ContinuousClock.now - loadStart
        let bookStart = ContinuousClock.now
        let book = OfferBook(offers: catalog)
        let bookTime = ContinuousClock.now - bookStart
        let questions = try Self.read(queries) { text throws(NeutralCatalogError) in try NeutralQuery.parse(text) }

        var samples = LatencySamples()
        var given: [NeutralAnswer] = []
        for round in 0..<max(rounds, 1) {
            for query in questions {
                let answer = samples.time { query.answer(in: book) }
                if round == 0 { given.append(answer) }
            }
        }
        try given.map { $0.jsonLine + "\n" }.joined().write(toFile: answers, atomically: true, encoding: .utf8)

        var fields: [(String, JSONLine.Value)] = [
            ("benchmark", .string("query")), ("offers", .int(catalog.count)), ("book_offers", .int(book.count)),
            ("load_seconds", .seconds(loadTime)), ("book_build_seconds", .seconds(bookTime)),
            ("queries", .int(questions.count)), ("answered", .int(given.count { $0.match != nil })),
            ("timed_queries", .int(samples.count)),
        ]
        fields += samples.fields()
        if let expected {
            let truth = try Self.read(expected) { text throws(NeutralCatalogError) in try NeutralAnswer.parse(text) }
            let byID = Dictionary(truth.map { ($0.queryID, $0) }) { first, _ in first }
            fields += [
                ("expected", .int(truth.count)), ("matching", .int(given.count { byID[$0.queryID] == $0 })),
            ]
        }
        print(JSONLine(fields).text)
    }

    /// The contents of `path` read by `parse`; a bad line is reported with the file's name.
    private static func read<T>(
        _ path: String, _ parse: ([UInt8]) throws(NeutralCatalogError) -> T
    ) throws -> T {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw BenchError("cannot read \(path): \(error.localizedDescription)")
        }
        do {
            return try parse(Array(data))
        } catch {
            throw BenchError("\(path), \(error)")
        }
    }
}
