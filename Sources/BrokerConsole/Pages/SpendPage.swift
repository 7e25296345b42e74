import BrokerCore
import Foundation
import Store

/// The spend page: the budget as a bar, then spend by job, by provider and by day.
enum SpendPage {
    static func render(_ report: UsageReport, days: [SpendByDay.Day]) -> HTML {
        let gauge = BudgetGauge(spend: report.spend, budget: report.budget)
        let jobs = report.jobs.map { job -> HTML in
            """
            <tr><td><a href="/console/jobs/\(job.id)">\(job.name)</a></td><td>\(job.state.rawValue)</td>\
            <td class="num">\(Format.money(job.spend))</td><td class="num">\(Format.perHour(job.burnPerHour))</td></tr>
            """
        }
        let providers = report.providers.map { line -> HTML in
            "<tr><td>\(line.provider)</td><td class=\"num\">\(line.nodes)</td><td class=\"num\">\(Format.money(line.spend))</td></tr>"
        }
        let dayRows = days.reversed().map { day -> HTML in
            "<tr><td>\(String(RFC3339.string(from: day.start).prefix(10)))</td><td class=\"num\">\(Format.money(day.spend))</td></tr>"
        }
        return """
            <p>Team <strong id="spend-team">\(report.teamName)</strong></p>
            \(Bar.svg(fraction: gauge.fraction, label: gauge.label, id: "budget", over: gauge.isOver))
            <h2>By job</h2><table id="spend-jobs"><thead><tr><th>Job</th><th>State</th><th class="num">Spend</th>\
            <th class="num">Burn</th></tr></thead><tbody>\(jobs)</tbody></table>
            <h2>By provider</h2><table id="spend-providers"><thead><tr><th>Provider</th><th class="num">Nodes</th>\
            <th class="num">Spend</th></tr></thead><tbody>\(providers)</tbody></table>
            <h2>By day (UTC)</h2><table id="spend-days"><thead><tr><th>Day</th><th class="num">Spend</th></tr></thead>\
            <tbody>\(dayRows)</tbody></table>
            """
    }
}
