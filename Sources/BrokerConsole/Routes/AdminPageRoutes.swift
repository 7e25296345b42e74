import Broker
import BrokerCore
import Foundation
import Hummingbird
import Store

/// `/console/admin` (admin tokens only): providers' health with enable, disable and poll now;
/// owner pools with their machines.
struct AdminPageRoutes<Context: ConsoleRequestContext> {
    let providers: ProviderControl
    let market: LiveMarket
    let pools: OwnerPools
    let machines: PoolMachines

    func register(on router: Router<Context>) {
        router.get("console/admin") { request, context in
            let user = try admin(context)
            var shown: [AdminPage.Pool] = []
            let reclaimed = try await machines.reclaimedMachines()
            for (pool, poolMachines) in try await pools.machines() {
                shown.append(
                    .init(
                        record: pool, machines: poolMachines,
                        reclaimed: reclaimed.intersection(poolMachines.map(\.id)),
                        earnings: try await pools.earnings(pool: pool.id)))
            }
            let all = try await providers.list()
            return ConsoleResponse.page(
                "Admin", user: user, current: "/console/admin",
                AdminPage.render(
                    providers: all, polled: Set(all.map(\.id).filter(providers.isPolled)),
                    offers: market.current.offerCounts, pools: shown,
                    notice: FormFields(request.uri.query ?? "")["notice"], user: user))
        }
        router.post("console/admin/providers/:id/:action") { _, context in
            _ = try admin(context)
            let id = try context.parameters.require("id")
            let notice: String
            switch try context.parameters.require("action") {
            case "enable", "disable":
                let enabled = context.parameters.get("action") == "enable"
                do {
                    _ = try await providers.setEnabled(enabled, provider: id)
                } catch let refusal as ProviderControl.Refusal {
                    throw Self.problem(refusal)
                }
                notice = "\(id) \(enabled ? "enabled" : "disabled")"
            case "poll":
                let report: PollReport
                do {
                    report = try await providers.pollNow(id)
                } catch let refusal as ProviderControl.Refusal {
                    throw Self.problem(refusal)
                }
                notice = report.error.map { "\(id) poll failed: \($0)" } ?? "\(id) polled: \(report.offers) offers"
            default:
                throw HTTPError(.notFound)
            }
            return Response.redirect(to: "/console/admin?notice=\(QueryString.encode(notice))")
        }
    }

    /// A refusal as the page's error.
    private static func problem(_ refusal: ProviderControl.Refusal) -> HTTPError {
        switch refusal {
        case .unknown(let id): HTTPError(.notFound, message: "No provider \(id).")
        case .disabled(let id): HTTPError(.conflict, message: "Provider \(id) is disabled: enable it first.")
        case .notConfigured(let id): HTTPError(.notFound, message: "No configured provider \(id).")
        case .shuttingDown: HTTPError(.serviceUnavailable, message: "The daemon is shutting down.")
        }
    }

    private func admin(_ context: Context) throws -> ConsoleUser {
        let user = try context.requireUser()
        guard user.isAdmin else { throw HTTPError(.forbidden, message: "This page needs an admin token.") }
        return user
    }
}
