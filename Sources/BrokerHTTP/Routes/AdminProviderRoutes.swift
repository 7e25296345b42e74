import Broker
import Hummingbird
import Store

/// Operators' view of the providers: health, enable/disable, poll now.
struct AdminProviderRoutes {
    let providers: ProviderControl
    let market: LiveMarket

    func register(on router: some RouterMethods<some RequestContext>) {
        let group = router.group("v1/admin/providers")
        group.get { _, _ in
            let counts = market.current.offerCounts
            let list = try await providers.list().map { ProviderResponse($0, offers: counts[$0.id] ?? 0) }
            return JSONResponse(ProviderListResponse(providers: list))
        }
        group.get(":id") { _, context in
            let id = try context.parameters.require("id")
            guard let provider = try await providers.provider(id: id) else { throw Self.problem(.unknown(id)) }
            return answer(provider)
        }
        group.post(":id/enable") { _, context in try await setEnabled(true, try context.parameters.require("id")) }
        group.post(":id/disable") { _, context in try await setEnabled(false, try context.parameters.require("id")) }
        group.post(":id/poll") { _, context in
            do {
                return JSONResponse(
                    PollReportResponse(try await providers.pollNow(try context.parameters.require("id"))))
            } catch let refusal as ProviderControl.Refusal {
                throw Self.problem(refusal)
            }
        }
    }

    private func setEnabled(_ enabled: Bool, _ id: String) async throws -> JSONResponse<ProviderResponse> {
        do {
            return answer(try await providers.setEnabled(enabled, provider: id))
        } catch let refusal as ProviderControl.Refusal {
            throw Self.problem(refusal)
        }
    }

    private func answer(_ provider: ProviderRecord) -> JSONResponse<ProviderResponse> {
        JSONResponse(ProviderResponse(provider, offers: market.current.offerCounts[provider.id] ?? 0))
    }

    /// A refusal as the API's problem.
    private static func problem(_ refusal: ProviderControl.Refusal) -> ProblemDetails {
        switch refusal {
        case .unknown(let id): ProblemDetails(status: .notFound, detail: "no provider '\(id)'")
        case .disabled(let id):
            ProblemDetails(status: .conflict, detail: "provider '\(id)' is disabled; enable it first")
        case .notConfigured(let id):
            ProblemDetails(status: .conflict, detail: "provider '\(id)' is no longer in the configuration")
        case .shuttingDown: ProblemDetails(status: .serviceUnavailable, detail: "the daemon is shutting down")
        }
    }
}
