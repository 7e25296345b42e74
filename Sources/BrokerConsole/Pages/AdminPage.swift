import BrokerCore
import Foundation
import Store

/// The operators' page: each provider's health with its controls, and the owner pools with
/// their machines (reclaimed or not) and what they earned.
enum AdminPage {
    struct Pool {
        var record: PoolRecord
        var machines: [PoolMachineRecord]
        var reclaimed: Set<String>
        var earnings: PoolEarnings?
    }

    /// `polled`: the providers the daemon polls (an owner pool is not polled: its machines report in).
    static func render(
        providers: [ProviderRecord], polled: Set<String>, offers: [String: Int], pools: [Pool], notice: String?,
        user: ConsoleUser
    ) -> HTML {
        let noticeHTML: HTML = notice.map { "<p class=\"notice\" id=\"notice\">\($0)</p>" } ?? .empty
        return """
            \(noticeHTML)<h2>Providers</h2>\(providerTable(providers, polled: polled, offers: offers, user: user))
            <h2>Owner pools</h2>\(pools.isEmpty ? "<p id=\"pools\">No owner pools.</p>" as HTML : HTML(joining: pools.map(pool)))
            """
    }

    private static func providerTable(
        _ providers: [ProviderRecord], polled: Set<String>, offers: [String: Int], user: ConsoleUser
    ) -> HTML {
        let rows = providers.map { provider -> HTML in
            let path = "/console/admin/providers/\(provider.id)"
            let toggle =
                provider.enabled
                ? Layout.button("Disable", action: "\(path)/disable", user: user)
                : Layout.button("Enable", action: "\(path)/enable", user: user)
            let poll =
                provider.enabled && polled.contains(provider.id)
                ? Layout.button("Poll now", action: "\(path)/poll", user: user) : .empty
            return """
                <tr id="provider-\(provider.id)"><td>\(provider.id)</td><td>\(provider.kind)</td>\
                <td>\(provider.enabled ? "enabled" : "disabled")</td><td>\(provider.circuitState.rawValue)</td>\
                <td class="num">\(offers[provider.id] ?? 0)</td><td>\(Format.time(provider.lastPollAt))</td>\
                <td>\(Format.time(provider.lastSuccessAt))</td><td class="num">\(provider.consecutiveFailures)</td>\
                <td>\(provider.lastError ?? "")</td><td class="actions">\(toggle) \(poll)</td></tr>
                """
        }
        return """
            <table id="providers"><thead><tr><th>Provider</th><th>Kind</th><th>State</th><th>Circuit</th>\
            <th class="num">Live offers</th><th>Last poll</th><th>Last success</th><th class="num">Failures</th>\
            <th>Last error</th><th></th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }

    private static func pool(_ pool: Pool) -> HTML {
        let earned = pool.earnings?.total
        let rows = pool.machines.map { machine -> HTML in
            let line = pool.earnings?.byMachine[machine.name]
            return """
                <tr><td>\(machine.name)</td><td>\(machine.gpuCount) × \(machine.gpu)</td>\
                <td>\(pool.reclaimed.contains(machine.id) ? "reclaimed" : "lent")</td>\
                <td>\(Format.time(machine.lastHeartbeatAt))</td><td class="num">\(line?.nodes ?? 0)</td>\
                <td class="num">\(String(format: "%.1f", line?.gpuHours ?? 0))</td>\
                <td class="num">\(Format.money(line?.earned ?? .zero))</td></tr>
                """
        }
        return """
            <section class="pool" id="pool-\(pool.record.id)"><h3>\(pool.record.name) <small>(\(pool.record.id), \
            \(pool.record.country) \(pool.record.region), \(pool.record.market.rawValue), \
            \(pool.record.enabled ? "enabled" : "disabled"))</small></h3>
            <p>Earned \(Format.money(earned?.earned ?? .zero)) from \(earned?.nodes ?? 0) nodes, \
            \(String(format: "%.1f", earned?.gpuHours ?? 0)) GPU-hours.</p>
            <table><thead><tr><th>Machine</th><th>GPUs</th><th>State</th><th>Last heartbeat</th><th class="num">Nodes</th>\
            <th class="num">GPU-hours</th><th class="num">Earned</th></tr></thead><tbody>\(rows)</tbody></table></section>
            """
    }
}
