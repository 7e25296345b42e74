import BrokerCore
import Store

/// The jobs list and a job's page.
enum JobPages {
    struct Row: Sendable {
        var job: JobRecord
        var progress: ShardProgress
    }

    static func list(_ rows: [Row], next: String?, user: ConsoleUser) -> HTML {
        let body = rows.map { row -> HTML in
            """
            <tr><td><a href="/console/jobs/\(row.job.id)">\(row.job.name)</a><br><small>\(row.job.id)</small></td>\
            \(user.isAdmin ? "<td>\(row.job.teamId)</td>" as HTML : .empty)\
            <td><span class="state \(row.job.state.rawValue)">\(row.job.state.rawValue)</span></td>\
            <td>\(row.job.reason ?? "")</td><td>\(row.progress.label)</td>\
            <td class="num">\(Format.money(row.job.spend))</td><td>\(Format.time(row.job.createdAt))</td></tr>
            """
        }
        let more: HTML =
            next.map { "<p><a id=\"next-page\" href=\"/console/jobs?cursor=\($0)\">Older jobs →</a></p>" } ?? .empty
        let empty: HTML =
            rows.isEmpty ? "<p>No jobs yet. <a href=\"/console/quote\">Quote and submit one.</a></p>" : .empty
        return """
            \(empty)<table id="jobs"><thead><tr><th>Job</th>\(user.isAdmin ? "<th>Team</th>" as HTML : .empty)\
            <th>State</th><th>Reason</th><th>Shards</th><th class="num">Spend</th><th>Submitted</th></tr></thead>
            <tbody>\(body)</tbody></table>\(more)
            """
    }

    static func detail(_ job: JobDetail, user: ConsoleUser) -> HTML {
        let cancel: HTML =
            job.isActive
            ? Layout.button("Cancel job", action: "/console/jobs/\(job.id)/cancel", user: user, id: "cancel") : .empty
        return """
            <section class="summary" id="job" data-state="\(job.state.rawValue)">
            <p><span class="state \(job.state.rawValue)" id="job-state">\(job.state.rawValue)</span> \
            <span id="job-reason">\(job.reason ?? "")</span></p>
            <dl><dt>Id</dt><dd>\(job.id)</dd><dt>Team</dt><dd>\(job.team)</dd>\
            <dt>Spend</dt><dd id="job-spend">\(Format.money(job.spend))</dd>\
            <dt>Burn</dt><dd>\(Format.perHour(job.burnPerHour))</dd>\
            <dt>Submitted</dt><dd>\(Format.time(job.createdAt))</dd><dt>Started</dt><dd>\(Format.time(job.startedAt))</dd>\
            <dt>Finished</dt><dd>\(Format.time(job.finishedAt))</dd></dl>
            \(Bar.svg(fraction: job.progress.fraction, label: job.progress.label, id: "shards"))
            \(cancel)
            </section>
            <h2>Nodes</h2>\(nodes(job.nodes))
            <h2>Logs</h2>
            <pre id="logs" class="logs" data-follow="/v1/jobs/\(job.id)/logs?follow=true" aria-live="polite"></pre>
            <p class="hint" id="logs-status">Waiting for output…</p>
            <h2>Timeline</h2>\(timeline(job.timeline))
            """
    }

    private static func nodes(_ nodes: [JobDetail.Node]) -> HTML {
        guard !nodes.isEmpty else { return "<p id=\"nodes\">No nodes yet.</p>" }
        let rows = nodes.map { node -> HTML in
            """
            <tr><td>\(node.rank)</td><td>\(node.id)</td><td><span class="state \(node.state.rawValue)">\(node.state.rawValue)</span></td>\
            <td>\(node.provider)</td><td>\(node.market.rawValue)</td><td>\(node.gpuCount) × \(node.gpu)</td>\
            <td>\(node.region)</td><td class="num">\(Format.perHour(node.pricePerHour))</td>\
            <td class="num">\(Format.money(node.spend))</td><td>\(node.reason ?? "")</td></tr>
            """
        }
        return """
            <table id="nodes"><thead><tr><th>Rank</th><th>Node</th><th>State</th><th>Provider</th><th>Market</th>\
            <th>GPUs</th><th>Region</th><th class="num">Price</th><th class="num">Spend</th><th>Reason</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }

    private static func timeline(_ events: [EventRecord]) -> HTML {
        let rows = events.map { event -> HTML in
            let change: HTML =
                event.toState.map { "\(event.fromState ?? "—") → \($0)" } ?? .empty
            return """
                <tr><td>\(Format.time(event.at))</td><td>\(event.kind)</td><td>\(change)</td>\
                <td>\(event.message)</td></tr>
                """
        }
        return """
            <table id="timeline"><thead><tr><th>When</th><th>What</th><th>Change</th><th>Message</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }
}
