import BrokerCore

/// The quote page: the spec form, then the ranked placements or the numbers that say why none fits.
enum QuotePage {
    enum Outcome {
        case none
        case problem(SpecInput.Problem)
        case quote(Quote)
    }

    static func render(spec: String, outcome: Outcome, user: ConsoleUser) -> HTML {
        """
        <form method="post" action="/console/quote" id="quote-form">\(Layout.csrfField(user))
        <label for="spec-file">Upload a spec</label> <input type="file" id="spec-file" accept=".yaml,.yml,.json">
        <textarea id="spec" name="spec" spellcheck="false" placeholder="name: my-job&#10;resources: …">\(spec)</textarea>
        <p><button type="submit" name="action" value="quote" id="get-quote">Quote</button>
        <button type="submit" name="action" value="submit" id="submit-job">Submit job</button>
        <span class="hint">Submitting queues the job for \(user.isAdmin ? "the default team" : "your team").</span></p>
        </form>
        \(result(outcome))
        """
    }

    private static func result(_ outcome: Outcome) -> HTML {
        switch outcome {
        case .none:
            return .empty
        case .problem(let problem):
            return
                "<div id=\"spec-errors\" class=\"error\"><p>This spec cannot be used:</p><ul>\(problem.messages.map { "<li>\($0)</li>" as HTML })</ul></div>"
        case .quote(let quote) where quote.placements.isEmpty:
            return "<h2>No placement fits</h2><p id=\"quote-reason\">\(quote.reason ?? "no offer matches the spec")</p>"
        case .quote(let quote):
            let rows = quote.placements.enumerated().map { index, placement -> HTML in
                let offers = placement.nodes.map { "\($0.rank): \($0.offer.id.description) (\($0.offer.region))" }
                    .joined(separator: ", ")
                return """
                    <tr><td>\(index + 1)</td><td>\(placement.market.rawValue)</td><td>\(placement.nodes.count) × \(placement.gpu.name)</td>\
                    <td class="num">\(Format.perHour(placement.pricePerHour))</td>\
                    <td class="num">\(placement.estimatedHours.map { String(format: "%.1f h", $0) } ?? "—")</td>\
                    <td class="num">\(placement.estimatedCost.map(Format.money) ?? "—")</td><td>\(offers)</td></tr>
                    """
            }
            return """
                <h2>Placements, best first</h2><table id="placements"><thead><tr><th>#</th><th>Market</th><th>Nodes</th>\
                <th class="num">Price</th><th class="num">Est. time</th><th class="num">Est. cost</th><th>Offers by rank</th></tr></thead>
                <tbody>\(rows)</tbody></table>
                """
        }
    }
}
