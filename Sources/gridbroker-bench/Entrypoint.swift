import ArgumentParser

/// `gridbroker-bench`: the benchmarks behind `scripts/bench`. Each prints one JSON object.
@main
struct GridBrokerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gridbroker-bench",
        abstract: "Benchmarks of gridbroker (run through scripts/bench, release build). Output: JSON.",
        // A new benchmark is one more subcommand here (and a line in scripts/bench's usage).
        subcommands: [
            IngestBenchmark.self,
            ApiBenchmark.self,
            QueryBenchmark.self,
            QuoteBenchmark.self,
            ReactionBenchmark.self,
            StoreBenchmark.self,
            CatalogGenerator.self,
        ])
}
