import Foundation

/// A ``PriceChart`` as SVG markup with its legend.
enum ChartSVG {
    static func render(_ chart: PriceChart, title: String) -> HTML {
        guard !chart.series.isEmpty else {
            return
                "<figure class=\"price-chart\"><figcaption>\(title)</figcaption><p class=\"hint\">No price changes recorded in this window.</p></figure>"
        }
        let bottom = chart.height - chart.padding
        let right = chart.width - chart.padding
        let lines = chart.series.enumerated().map { index, series -> HTML in
            let points = series.points.map { "\($0.x),\($0.y)" }.joined(separator: " ")
            return
                "<polyline class=\"series-\(index % 6)\" points=\"\(points)\"><title>\(series.provider)</title></polyline>"
        }
        let legend = chart.series.enumerated().map { index, series -> HTML in
            "<span class=\"series-\(index % 6)\"><span class=\"swatch\"></span>\(series.provider) \(Format.perHour(series.last))</span>"
        }
        return """
            <figure class="price-chart"><figcaption>\(title)</figcaption>
            <svg class="chart" viewBox="0 0 \(chart.width) \(chart.height)" role="img" aria-label="\(title)">
            <line class="axis" x1="\(chart.padding)" y1="\(bottom)" x2="\(right)" y2="\(bottom)"></line>
            <line class="axis" x1="\(chart.padding)" y1="\(chart.padding)" x2="\(chart.padding)" y2="\(bottom)"></line>
            <text x="2" y="\(chart.padding + 4)">\(chart.high.formatted())</text>
            <text x="2" y="\(bottom)">\(chart.low.formatted())</text>
            <text x="\(chart.padding)" y="\(chart.height - 8)">\(Self.clock(chart.start))</text>
            <text x="\(right - 40)" y="\(chart.height - 8)">\(Self.clock(chart.end))</text>
            \(lines)</svg>
            <div class="legend">\(legend)</div></figure>
            """
    }

    /// "14:05 UTC".
    private static func clock(_ date: Date) -> String {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return String(format: "%02d:%02d UTC", parts.hour ?? 0, parts.minute ?? 0)
    }
}
