import BrokerCore

/// The market page: the overview per GPU, provider and market, a price chart per GPU, and the
/// offers table with its filters, sort links and paging.
enum MarketPage {
    struct Content {
        var overview: [MarketOverview.Line]
        var charts: [(gpu: String, chart: PriceChart)]
        var query: OfferQuery
        var offers: [Offer]
        var next: OfferCursor?
    }

    static func render(_ content: Content) -> HTML {
        """
        <h2>Cheapest and median $/GPU-h</h2>\(overview(content.overview))
        <h2>Price history (up to the last 24 h)</h2><div class="charts" id="charts">\(charts(content))</div>
        <h2>Offers</h2>\(filters(content.query))\(offers(content))
        """
    }

    /// A chart per GPU, of the market the filter names or of either (the cheapest of both).
    private static func charts(_ content: Content) -> [HTML] {
        let market = content.query.filter.market?.rawValue ?? "any market"
        return content.charts.map {
            ChartSVG.render($0.chart, title: "\($0.gpu) — cheapest $/GPU-h per provider, \(market)")
        }
    }

    private static func overview(_ lines: [MarketOverview.Line]) -> HTML {
        guard !lines.isEmpty else {
            return "<p id=\"overview\">No live offers yet: the providers have not been polled.</p>"
        }
        let rows = MarketOverview.rows(lines).map { row -> HTML in
            let cells = Market.allCases.map { market -> HTML in
                guard let line = row.byMarket[market] else { return "<td></td><td></td><td></td>" }
                return """
                    <td class="num">\(line.offers)</td><td class="num">\(Format.perHour(line.cheapestPerGPUHour))</td>\
                    <td class="num">\(Format.perHour(line.medianPerGPUHour))</td>
                    """
            }
            return "<tr><td>\(row.gpu)</td><td>\(row.provider)</td>\(cells)</tr>"
        }
        let marketHeads = Market.allCases.map { "<th colspan=\"3\" class=\"num\">\($0.rawValue)</th>" as HTML }
        let columnHeads = Market.allCases.map { _ in
            "<th class=\"num\">offers</th><th class=\"num\">cheapest</th><th class=\"num\">median</th>" as HTML
        }
        return """
            <table id="overview"><thead><tr><th rowspan="2">GPU</th><th rowspan="2">Provider</th>\(marketHeads)</tr>
            <tr>\(columnHeads)</tr></thead><tbody>\(rows)</tbody></table>
            """
    }

    private static func filters(_ query: OfferQuery) -> HTML {
        func field(_ name: String, _ label: String, size: Int = 8) -> HTML {
            "<label>\(label)<input name=\"\(name)\" size=\"\(size)\" value=\"\(query.fields[name] ?? "")\"></label>"
        }
        func select(_ name: String, _ label: String, _ choices: [String]) -> HTML {
            let options = ([""] + choices).map { choice -> HTML in
                let selected: HTML = query.fields[name] == choice ? " selected" : .empty
                return "<option value=\"\(choice)\"\(selected)>\(choice.isEmpty ? "any" : choice)</option>"
            }
            return "<label>\(label)<select name=\"\(name)\">\(options)</select></label>"
        }
        let problems = query.errors.map { "<li>\($0.field): \($0.message)</li>" as HTML }
        let errors: HTML = problems.isEmpty ? .empty : "<ul class=\"error\" id=\"filter-errors\">\(problems)</ul>"
        return """
            \(errors)<form class="filters" method="get" action="/console/market" id="offer-filters">
            \(field("gpu", "GPU", size: 12))\(field("min_gpus", "min GPUs", size: 4))\(field("min_gpu_memory_gb", "min GPU GB", size: 4))\
            \(select("market", "market", Market.allCases.map(\.rawValue)))\(field("max_price", "max $/h", size: 6))\
            \(field("country", "country", size: 6))\(field("region", "region", size: 10))\(field("provider", "provider", size: 10))\
            <input type="hidden" name="sort" value="\(query.filter.sort.rawValue)">
            <button type="submit">Filter</button></form>
            """
    }

    private static func offers(_ content: Content) -> HTML {
        let query = content.query
        func sortLink(_ sort: OfferFilter.Sort, _ label: String) -> HTML {
            let arrow = query.filter.sort == sort ? " ↑" : ""
            return
                "<a href=\"/console/market?\(query.query(["sort": sort.rawValue, "cursor": nil]))\">\(label)\(arrow)</a>"
        }
        let rows = content.offers.map { offer -> HTML in
            """
            <tr><td>\(offer.id.description)</td><td>\(offer.gpuCount) × \(offer.gpu.name)</td><td class="num">\(offer.gpuMemoryGB) GB</td>\
            <td>\(offer.market.rawValue)</td><td>\(offer.region)</td><td>\(offer.country ?? "")</td><td class="num">\(offer.available)</td>\
            <td class="num">\(Format.perHour(offer.pricePerHour))</td><td class="num">\(Format.perHour(offer.pricePerGPUHour))</td></tr>
            """
        }
        let pages: HTML =
            content.next.map {
                "<p><a id=\"next-page\" href=\"/console/market?\(query.query(["cursor": $0.token]))\">Next page →</a></p>"
            } ?? .empty
        let first: HTML =
            query.cursor == nil
            ? .empty : "<p><a href=\"/console/market?\(query.query(["cursor": nil]))\">← First page</a></p>"
        return """
            <table id="offers"><thead><tr><th>Offer</th><th>GPUs</th><th class="num">GPU memory</th><th>Market</th>\
            <th>Region</th><th>Country</th><th class="num">Available</th><th class="num">\(sortLink(.price, "$/h"))</th>\
            <th class="num">\(sortLink(.pricePerGPU, "$/GPU-h"))</th></tr></thead><tbody>\(rows)</tbody></table>\(first)\(pages)
            """
    }
}
