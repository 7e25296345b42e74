import BrokerCore
import Foundation
import Store
import Testing

@testable import BrokerConsole

@Suite("Console view models: the pages' numbers, without I/O")
struct ConsoleViewModelTests {
    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    static func offer(
        _ id: String, gpu: String = "H100-SXM", gpus: Int = 8, market: Market = .spot, perHour dollars: Int64
    ) -> Offer {
        Offer(
            id: OfferID(id)!, gpu: GPUName(resolving: gpu), gpuCount: gpus, gpuMemoryGB: 80, interconnect: nil,
            vcpus: 64,
            memoryGB: 512, diskGB: 1000, region: "r1", country: "DE", market: market,
            pricePerHour: Money(microdollars: dollars * 1_000_000), available: 1, reliability: nil, firstSeenAt: t0,
            lastSeenAt: t0, raw: nil)
    }

    @Test("the market overview: cheapest and median $/GPU-h per GPU, provider and market")
    func overview() {
        let lines = MarketOverview.lines([
            Self.offer("vast:1", perHour: 8), Self.offer("vast:2", perHour: 16), Self.offer("vast:3", perHour: 24),
            Self.offer("vast:4", perHour: 40), Self.offer("vast:5", market: .onDemand, perHour: 32),
            Self.offer("lambda:1", perHour: 12), Self.offer("lambda:2", gpu: "A100-80GB", gpus: 4, perHour: 6),
        ])
        #expect(lines.map(\.gpu) == ["A100-80GB", "H100-SXM", "H100-SXM", "H100-SXM"])
        let vastSpot = lines.first { $0.provider == "vast" && $0.market == .spot }
        #expect(vastSpot?.offers == 4)
        #expect(vastSpot?.cheapestPerGPUHour == Money(microdollars: 1_000_000))
        // Even count: the mean of $2 and $3 per GPU-hour.
        #expect(vastSpot?.medianPerGPUHour == Money(microdollars: 2_500_000))
        #expect(lines.first { $0.market == .onDemand }?.medianPerGPUHour == Money(microdollars: 4_000_000))
        // Within a GPU and market, cheapest provider first.
        #expect(lines.filter { $0.gpu == "H100-SXM" && $0.market == .spot }.map(\.provider) == ["vast", "lambda"])
        #expect(lines[0].cheapestPerGPUHour == Money(microdollars: 1_500_000))
        let rows = MarketOverview.rows(lines)
        #expect(rows.map(\.provider) == ["lambda", "vast", "lambda"])
        #expect(rows[1].byMarket[.onDemand]?.offers == 1 && rows[1].byMarket[.spot]?.offers == 4)
    }

    @Test("spend by day splits a node's billed time at midnight UTC, and the days add up to its spend")
    func spendByDay() throws {
        let midnight = SpendByDay.midnight(before: Self.t0).addingTimeInterval(86_400)
        var node = NodeRecord(
            id: "node_1", jobID: "job_1", rank: 0, offer: Self.offer("vast:1", perHour: 36), requestedAt: Self.t0)
        node.launchedAt = midnight.addingTimeInterval(-3600)  // 23:00
        node.terminatedAt = midnight.addingTimeInterval(7200)  // 02:00 next day
        var unlaunched = node
        unlaunched.launchedAt = nil
        let days = SpendByDay.days(of: [node, unlaunched], now: midnight.addingTimeInterval(86_400))
        #expect(days.map(\.start) == [midnight.addingTimeInterval(-86_400), midnight])
        #expect(days.map(\.spend) == [Money(microdollars: 36_000_000), Money(microdollars: 72_000_000)])
        // Still running: counted up to now only.
        node.terminatedAt = nil
        let running = SpendByDay.days(of: [node], now: midnight.addingTimeInterval(1800))
        #expect(running.map(\.spend) == [Money(microdollars: 36_000_000), Money(microdollars: 18_000_000)])
    }

    @Test("shard progress: the fraction done, never outside 0...1")
    func progress() {
        #expect(ShardProgress(total: 512, done: 128).fraction == 0.25)
        #expect(ShardProgress(total: 512, done: 128).label == "128 / 512 shards (25%)")
        #expect(ShardProgress(total: 0, done: 0).fraction == 0)
        #expect(ShardProgress(total: 4, done: 9).fraction == 1)
    }

    @Test("the budget gauge: spend over budget, full and red once over")
    func budget() {
        let half = BudgetGauge(spend: Money(microdollars: 50_000_000), budget: Money(microdollars: 100_000_000))
        #expect(half.fraction == 0.5 && !half.isOver)
        let over = BudgetGauge(spend: Money(microdollars: 150_000_000), budget: Money(microdollars: 100_000_000))
        #expect(over.fraction == 1 && over.isOver)
        #expect(BudgetGauge(spend: .zero, budget: nil).label == "$0.00 spent; no budget")
    }

    @Test("the price chart: a step line per provider of its cheapest series, scaled into the plot")
    func chart() {
        func point(_ provider: String, _ region: String, _ cents: Int64, at minutes: Double) -> PricePoint {
            PricePoint(
                provider: provider, gpu: "H100-SXM", region: region, market: .spot,
                pricePerGPUHour: Money(microdollars: cents * 10_000),
                recordedAt: Self.t0.addingTimeInterval(minutes * 60))
        }
        let chart = PriceChart(
            points: [
                point("vast", "a", 300, at: 0), point("vast", "b", 200, at: 30), point("vast", "a", 250, at: 60),
                point("lambda", "x", 500, at: 0), point("lambda", "y", 400, at: 0),
            ], from: Self.t0, to: Self.t0.addingTimeInterval(7200), width: 240, height: 120, padding: 20)
        #expect(chart.series.map(\.provider) == ["lambda", "vast"])
        #expect(chart.low == Money(microdollars: 2_000_000) && chart.high == Money(microdollars: 4_000_000))
        let vast = chart.series[1]
        // $3 at 0, $2 from 30 min (region b undercuts a); a's rise to $2.50 changes nothing.
        #expect(vast.points.map(\.x) == [20, 70, 70, 220])
        #expect(vast.points.map(\.y) == [60, 60, 100, 100])
        #expect(vast.last == Money(microdollars: 2_000_000))
        // Lambda's two regions at one time are one step, at the cheaper.
        #expect(chart.series[0].points.map(\.y) == [20, 20])
    }

    @Test("offer filters from the form: blanks are no filter, bad fields are named")
    func offerQuery() {
        let query = OfferQuery(
            FormFields("gpu=H100&min_gpus=0&market=spot&max_price=ten&country=DE,Deutschland&region=&sort=price"),
            catalog: .standard)
        #expect(query.filter.gpus?.contains("H100-SXM") == true)
        #expect(query.filter.market == .spot && query.filter.sort == .price && query.filter.regions == nil)
        #expect(query.filter.countries == ["DE"])
        #expect(query.errors.map(\.field) == ["min_gpus", "max_price", "country"])
        #expect(query.query(["sort": "price_per_gpu"]).contains("sort=price_per_gpu"))
    }

    @Test("HTML interpolation escapes values and keeps markup")
    func escaping() {
        let name = #"<script>alert("x")</script> & 'y'"#
        let inner: HTML = "<b>\(name)</b>"
        let page: HTML = "<p>\(inner)\(3)</p>"
        #expect(
            page.rendered == "<p><b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</b>3</p>")
    }

    @Test("a spec's problems come back in the parser's words")
    func specProblems() {
        #expect(throws: SpecInput.Problem.empty) { try SpecInput.read("  \n", catalog: .standard, now: Self.t0) }
        let huge = "name: x\n" + String(repeating: "#", count: SpecInput.maximumBytes)
        #expect(throws: SpecInput.Problem.tooLarge) { try SpecInput.read(huge, catalog: .standard, now: Self.t0) }
        do {
            _ = try SpecInput.read("name: x\nresources: {gpus_per_node: 0}", catalog: .standard, now: Self.t0)
            Issue.record("an invalid spec was accepted")
        } catch {
            #expect(error.messages.contains { $0.hasPrefix("resources") })
        }
        let good = try? SpecInput.read(
            "name: lora\nresources: {gpu: [H100], gpus_per_node: 8, nodes: 1}\nimage: img\ncommand: [train]",
            catalog: .standard, now: Self.t0)
        #expect(good?.spec.name == "lora")
    }
}
