/// A horizontal bar drawn in SVG (no inline style, so the page's CSP holds): `fraction` of it
/// filled, with `label` beside it for people and screen readers.
enum Bar {
    static func svg(fraction: Double, label: String, id: String, over: Bool = false) -> HTML {
        let filled = Geometry.rounded(min(max(fraction, 0), 1) * 100)
        return """
            <div class="bar" id="\(id)"><svg viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label="\(label)">\
            <rect class="track" width="100" height="6"></rect>\
            <rect class="\(over ? "fill over" : "fill")" width="\(filled)" height="6"></rect></svg>\
            <span>\(label)</span></div>
            """
    }
}
