import Broker
import Hummingbird
import Store

/// Operators' view of the providers: health, enable/disable, poll now.
struct AdminProviderRoutes {
    let providers: any ProviderRepository
    let market: LiveMarket
    let pollers: PollerDirectory

    func register(on router: some RouterMethods<some RequestContext>) {
        let group = router.group("v1/admin/providers")
        group.get { _, _ in
            let counts = market.current.offerCounts
            let list = try await providers.providers().map { ProviderResponse($0, offers: counts[$0.id] ?? 0) }
            return JSONResponse(ProviderListResponse(providers: list))
        }
        group.get(":id") { _, context in try await show(try context.parameters.require("id")) }
        group.post(":id/enable") { _, context in try await setEnabled(true, try context.parameters.require("id")) }
        group.post(":id/disable") { _, context in try await setEnabled(false, try context.parameters.require("id")) }
        group.post(":id/poll") { _, context in
            let id = try context.parameters.require("id")
            guard let provider = try await providers.provider(id: id) else {
                throw ProblemDetails(status: .notFound, detail: "no provider '\(id)'")
            }
            guard provider.enabled else {
                throw ProblemDetails(status: .conflict, detail: "provider '\(id)' is disabled; enable it first")
            }
            guard let poller = pollers[id] else {
                throw ProblemDetails(status: .conflict, detail: "provider '\(id)' is no longer in the configuration")
            }
            guard let report = await poller.pollNow() else {
                throw ProblemDetails(status: .serviceUnavailable, detail: "the daemon is shutting down")
            }
            return JSONResponse(PollReportResponse(report))
        }
    }

    private func show(_ id: String) async throws -> JSONResponse<ProviderResponse> {
        guard let provider = try await providers.provider(id: id) else {
            throw ProblemDetails(status: .notFound, detail: "no provider '\(id)'")
        }
        return JSONResponse(ProviderResponse(provider, offers: market.current.offerCounts[id] ?? 0))
    }

    private func setEnabled(_ enabled: Bool, _ id: String) async throws -> JSONResponse<ProviderResponse> {
        do {
            let provider = try await providers.setEnabled(enabled, provider: id)
            return JSONResponse(ProviderResponse(provider, offers: market.current.offerCounts[id] ?? 0))
        } catch StoreError.notFound {
            throw ProblemDetails(status: .notFound, detail: "no provider '\(id)'")
        }
    }
}
