import BrokerCore
import Foundation

/// Latency of quotes on a book: job specs of different breadth, each quoted `rounds` times.
struct QuoteTimings {
    let quotes: Int
    let p50Milliseconds: Double
    let p99Milliseconds: Double

    /// 2x8 H100/A100 in the EU under $40/h (the example spec); 4x8 H100 anywhere; 1 GPU of any
    /// common model, no region constraint.
    private static let specs = [
        #"{"name":"eu","resources":{"gpu":["H100","A100-80GB"],"gpus_per_node":8,"nodes":2},"placement":{"countries":["DE","FR","NL","GB","SE","FI"]},"max_price_per_hour":40,"work":{"gpu_hours":256},"image":"i","command":["c"]}"#,
        #"{"name":"big","resources":{"gpu":["H100"],"gpus_per_node":8,"nodes":4},"market":"spot","work":{"gpu_hours":2048},"image":"i","command":["c"]}"#,
        #"{"name":"one","resources":{"gpu":["RTX4090","L40S","A100","H100","L4","A10"],"gpus_per_node":1,"nodes":1},"placement":{"same_region":false},"image":"i","command":["c"]}"#,
    ]

    init(book: OfferBook, rounds: Int = 30) throws {
        let now = Date()
        let specs = try Self.specs.map { try JobSpec.decode(json: Array($0.utf8), now: now) }
        let planner = PlacementPlanner()
        var samples: [Duration] = []
        for _ in 0..<rounds {
            for spec in specs {
                let start = ContinuousClock.now
                let quote = planner.quote(spec, book: book, now: now)
                samples.append(ContinuousClock.now - start)
                precondition(quote.placements.count <= 5)
            }
        }
        samples.sort()
        quotes = samples.count
        p50Milliseconds = samples[samples.count / 2].timeInterval * 1000
        p99Milliseconds = samples[samples.count * 99 / 100].timeInterval * 1000
    }
}
