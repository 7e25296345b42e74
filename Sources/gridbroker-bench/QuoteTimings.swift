import BrokerCore
import Foundation

/// Latency of `POST /v1/quotes`-style quotes on a book: named job specs, quoted in turn `rounds`
/// times.
struct QuoteTimings {
    /// A job spec to quote, by name.
    struct Shape {
        var name: String
        var json: String
    }

    /// 2x8 H100/A100 in the EU under $40/h (the example spec); 4x8 H100 on spot; 1 GPU of any
    /// common model, no region constraint.
    static let mixed = [
        Shape(
            name: "eu_2x8_h100_a100_capped",
            json:
                #"{"name":"eu","resources":{"gpu":["H100","A100-80GB"],"gpus_per_node":8,"nodes":2},"placement":{"countries":["DE","FR","NL","GB","SE","FI"]},"max_price_per_hour":40,"work":{"gpu_hours":256},"image":"i","command":["c"]}"#
        ),
        Shape(
            name: "h100_4x8_spot",
            json:
                #"{"name":"big","resources":{"gpu":["H100"],"gpus_per_node":8,"nodes":4},"market":"spot","work":{"gpu_hours":2048},"image":"i","command":["c"]}"#
        ),
        Shape(
            name: "any_1x1_regions_free",
            json:
                #"{"name":"one","resources":{"gpu":["RTX4090","L40S","A100","H100","L4","A10"],"gpus_per_node":1,"nodes":1},"placement":{"same_region":false},"image":"i","command":["c"]}"#
        ),
    ]

    /// The 2-node 8-GPU jobs the quote target is about (H100 family, A100-80GB), then ``mixed``
    /// and other shapes for context: a big gang with a deadline and a budget, a small EU
    /// on-demand node, and a job nothing fits (its answer is the reason).
    static let all =
        [
            Shape(
                name: "h100_2x8",
                json:
                    #"{"name":"h100","resources":{"gpu":["H100"],"gpus_per_node":8,"nodes":2},"work":{"gpu_hours":256},"image":"i","command":["c"]}"#
            ),
            Shape(
                name: "a100_80gb_2x8",
                json:
                    #"{"name":"a100","resources":{"gpu":["A100-80GB"],"gpus_per_node":8,"nodes":2},"work":{"gpu_hours":256},"image":"i","command":["c"]}"#
            ),
        ] + mixed + [
            Shape(
                name: "h200_b200_8x8_deadline_budget",
                json:
                    #"{"name":"wide","resources":{"gpu":["H200","B200"],"gpus_per_node":8,"nodes":8,"min_vcpus":64},"work":{"gpu_hours":4096},"deadline":"2099-01-01T00:00:00Z","budget_usd":100000,"image":"i","command":["c"]}"#
            ),
            Shape(
                name: "l40s_1x4_eu_on_demand",
                json:
                    #"{"name":"small","resources":{"gpu":["L40S"],"gpus_per_node":4,"nodes":1},"placement":{"countries":["DE","FR","NL"]},"market":"on_demand","image":"i","command":["c"]}"#
            ),
            Shape(
                name: "no_fit_64x8_b200_capped",
                json:
                    #"{"name":"none","resources":{"gpu":["B200"],"gpus_per_node":8,"nodes":64},"max_price_per_hour":10,"work":{"gpu_hours":100},"image":"i","command":["c"]}"#
            ),
        ]

    /// Every quote.
    private(set) var overall = LatencySamples()
    /// Per shape, in the given order; `agrees` tells whether the quote equals the first placements
    /// of a quote that ranks every gang (the planner stops early once it has its best five).
    private(set) var byShape: [(name: String, samples: LatencySamples, placements: Int, agrees: Bool)] = []

    init(book: OfferBook, shapes: [Shape] = Self.mixed, rounds: Int = 30) throws {
        let now = Date()
        let specs = try shapes.map { try JobSpec.decode(json: Array($0.json.utf8), now: now) }
        let planner = PlacementPlanner()
        byShape = zip(shapes, specs).map { shape, spec in
            let quote = planner.quote(spec, book: book, now: now)
            let everyGang = planner.quote(spec, book: book, now: now, limit: .max)
            let agrees = quote.placements == Array(everyGang.placements.prefix(5)) && quote.reason == everyGang.reason
            return (shape.name, LatencySamples(), quote.placements.count, agrees)
        }
        for _ in 0..<rounds {
            for (index, spec) in specs.enumerated() {
                let quote = byShape[index].samples.time { planner.quote(spec, book: book, now: now) }
                precondition(quote.placements.count == byShape[index].placements)
            }
        }
        for shape in byShape { overall.merge(shape.samples) }
    }
}
