import Hummingbird

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The simulator's own API under `/_sim/`, for tests and the demo:
///
/// - `GET /_sim/health` → `{"status": "ok"}`
/// - `GET /_sim/market` → seed, clock time, and per provider the offers listed and available now
/// - `GET /_sim/faults` → every provider's fault plan; `GET /_sim/faults/{provider}` → one
/// - `PUT /_sim/faults/{provider}` with a ``FaultPlan`` in JSON → the plan now in force
/// - `DELETE /_sim/faults/{provider}` → 204, faults cleared
/// - `POST /_sim/instances/{provider}/{id}/reclaim[?notice_s=N]` → the provider takes the instance
///   back now, or after N seconds announced to the notice sender (a signed webhook to the broker
///   with `gridbroker sim --notify-url`); 404 for an instance it does not list
/// - `GET /_sim/instances` → every provider's instances not yet terminated, oldest first:
///   `{"instances": [{"provider", "id", "native_id", "name", "offer", "environment", "gpu", "gpus",
///   "spot_zone", "state"}]}` (`environment`: what the launch asked the node to run with): `id` as the
///   provider spells it, `native_id` as the broker's adapters do (`<region>/<id>` on AWS), `offer`
///   the native offer id, `gpu` the catalog's name for its GPU model (null when unknown), `spot_zone`
///   the spot zone of a spot instance (else null), `state` one of `booting`, `running`, `stopping`
/// - `GET /_sim/spot` → the spot zones and the trace each follows (`gridbroker sim --traces`), and
///   whether it has spot capacity now: `{"zones": [{"zone", "trace", "spot"}]}`
struct ControlRoutes: Sendable {
    let simulator: MarketSimulator

    func add<Context: RequestContext>(to router: Router<Context>) {
        let group = router.group("_sim")
        group.get("health") { _, _ in
            Self.json(.ok, Array("{\"status\":\"ok\"}".utf8))
        }
        group.get("market") { _, _ in
            marketSummary()
        }
        group.get("instances") { _, _ in
            liveInstances()
        }
        group.get("spot") { _, _ in
            spotZones()
        }
        group.get("faults") { _, _ in
            var json = JSONWriter()
            json.raw("{")
            var first = true
            for provider in SimulatedProvider.allCases {
                json.separator(&first)
                json.string(provider.rawValue)
                json.raw(":")
                Self.write(simulator.faultPlan(for: provider), to: &json)
            }
            json.raw("}")
            return Self.json(.ok, json.bytes)
        }
        group.get("faults/:provider") { _, context in
            guard let provider = Self.provider(context) else { return Self.unknownProvider(context) }
            var json = JSONWriter()
            Self.write(simulator.faultPlan(for: provider), to: &json)
            return Self.json(.ok, json.bytes)
        }
        group.put("faults/:provider") { request, context in
            guard let provider = Self.provider(context) else { return Self.unknownProvider(context) }
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1_024)
            let plan: FaultPlan
            do {
                plan = try JSONDecoder().decode(FaultPlan.self, from: Data(Array(body.readableBytesView)))
            } catch {
                return Self.error(.badRequest, "the body is not a fault plan: \(error)")
            }
            if let problem = plan.validationError {
                return Self.error(.badRequest, problem)
            }
            simulator.setFaultPlan(plan, for: provider)
            var json = JSONWriter()
            Self.write(plan, to: &json)
            return Self.json(.ok, json.bytes)
        }
        group.delete("faults/:provider") { _, context in
            guard let provider = Self.provider(context) else { return Self.unknownProvider(context) }
            simulator.setFaultPlan(.none, for: provider)
            return Response(status: .noContent)
        }
        group.post("instances/:provider/:id/reclaim") { request, context in
            try await reclaim(request, context)
        }
    }

    /// Takes an instance back, at once or after `notice_s` seconds announced to the notice sender.
    private func reclaim<Context: RequestContext>(_ request: Request, _ context: Context) async throws -> Response {
        guard let provider = Self.provider(context) else { return Self.unknownProvider(context) }
        let id = context.parameters.get("id") ?? ""
        let noticeText = FormDecoding.pairs(request.uri.query ?? "").first { $0.0 == "notice_s" }?.1
        guard let notice = Double(noticeText ?? "0"), (0...3600).contains(notice) else {
            return Self.error(.badRequest, "notice_s must be a number of seconds in 0...3600")
        }
        let notified: Bool
        switch await simulator.reclaim(provider, id: id, notice: notice, at: simulator.clock.now) {
        case .unknown:
            return Self.error(.notFound, "\(provider.rawValue) lists no instance '\(id)'")
        case .noticeFailed(let error):
            return Self.error(.badGateway, "the reclaim is scheduled but its notice failed: \(error)")
        case .scheduled(let wasNotified):
            notified = wasNotified
        }
        var json = JSONWriter()
        json.raw("{\"reclaimed\":")
        json.string(id)
        json.raw(",\"notice_s\":")
        json.decimal(notice, fractionDigits: 1)
        json.raw(",\"notified\":")
        json.bool(notified)
        json.raw("}")
        return Self.json(.ok, json.bytes)
    }

    private func liveInstances() -> Response {
        let time = simulator.clock.now.timeIntervalSince1970
        var json = JSONWriter()
        json.raw("{\"instances\":[")
        var first = true
        for instance in simulator.instances.live(at: time) {
            json.separator(&first)
            json.raw("{\"provider\":")
            json.string(instance.provider.rawValue)
            json.raw(",\"id\":")
            json.string(instance.id)
            json.raw(",\"native_id\":")
            json.string(instance.provider == .aws ? instance.region + "/" + instance.id : instance.id)
            json.raw(",\"name\":")
            json.string(instance.name)
            json.raw(",\"offer\":")
            json.string(instance.offer)
            json.raw(",\"environment\":{")
            var firstVariable = true
            for (name, value) in instance.environment.sorted(by: { $0.key < $1.key }) {
                json.separator(&firstVariable)
                json.string(name)
                json.raw(":")
                json.string(value)
            }
            json.raw("},\"gpu\":")
            if let gpu = instance.gpu { json.string(gpu.name) } else { json.null() }
            json.raw(",\"gpus\":")
            json.int(instance.gpus)
            json.raw(",\"spot_zone\":")
            if let zone = instance.spotZone { json.string(zone) } else { json.null() }
            json.raw(",\"state\":")
            switch instance.phase(at: time) {
            case .booting: json.string("booting")
            case .running: json.string("running")
            case .stopping, .terminated: json.string("stopping")
            }
            json.raw("}")
        }
        json.raw("]}")
        return Self.json(.ok, json.bytes)
    }

    private func spotZones() -> Response {
        let time = simulator.clock.now.timeIntervalSince1970
        let zones = simulator.spotZones
        var json = JSONWriter()
        json.raw("{\"zones\":[")
        var first = true
        for zone in zones.zones {
            json.separator(&first)
            json.raw("{\"zone\":")
            json.string(zone)
            json.raw(",\"trace\":")
            json.string(zones.traceName(of: zone) ?? "")
            json.raw(",\"spot\":")
            json.bool(zones.hasSpot(zone, at: time))
            json.raw("}")
        }
        json.raw("]}")
        return Self.json(.ok, json.bytes)
    }

    private func marketSummary() -> Response {
        let time = simulator.clock.now.timeIntervalSince1970
        let listed = simulator.market.offerCounts
        let available = simulator.market.availableCounts(at: time)
        var json = JSONWriter()
        json.raw("{\"seed\":")
        json.string(String(simulator.configuration.seed))
        json.raw(",\"time\":")
        json.string(Timestamp.iso8601(time))
        json.raw(",\"total_offers\":")
        json.int(listed.values.reduce(0, +))
        json.raw(",\"providers\":{")
        var first = true
        for provider in SimulatedProvider.allCases {
            json.separator(&first)
            json.string(provider.rawValue)
            json.raw(":{\"offers\":")
            json.int(listed[provider] ?? 0)
            json.raw(",\"available\":")
            json.int(available[provider] ?? 0)
            json.raw(",\"path\":")
            json.string("/" + provider.rawValue)
            json.raw(",\"faults\":")
            Self.write(simulator.faultPlan(for: provider), to: &json)
            json.raw("}")
        }
        json.raw("}}")
        return Self.json(.ok, json.bytes)
    }

    static func write(_ plan: FaultPlan, to json: inout JSONWriter) {
        json.raw("{\"latency_ms\":")
        json.int(plan.latencyMilliseconds)
        json.raw(",\"error_rate\":")
        json.decimal(plan.errorRate, fractionDigits: 6)
        json.raw(",\"rate_limit\":")
        if let rateLimit = plan.rateLimit {
            json.raw("{\"retry_after_s\":")
            json.int(rateLimit.retryAfterSeconds)
            json.raw("}")
        } else {
            json.null()
        }
        json.raw(",\"malformed\":")
        json.bool(plan.malformed)
        json.raw(",\"truncated\":")
        json.bool(plan.truncated)
        json.raw(",\"no_capacity\":")
        json.bool(plan.noCapacity)
        json.raw("}")
    }

    private static func provider<Context: RequestContext>(_ context: Context) -> SimulatedProvider? {
        context.parameters.get("provider").flatMap(SimulatedProvider.init(rawValue:))
    }

    private static func unknownProvider<Context: RequestContext>(_ context: Context) -> Response {
        let name = context.parameters.get("provider") ?? ""
        let known = SimulatedProvider.allCases.map(\.rawValue).joined(separator: ", ")
        return error(.notFound, "unknown provider '\(name)'; known: \(known)")
    }

    private static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        var json = JSONWriter()
        json.raw("{\"error\":")
        json.string(message)
        json.raw("}")
        return Self.json(status, json.bytes)
    }

    private static func json(_ status: HTTPResponse.Status, _ bytes: [UInt8]) -> Response {
        MarketSimulator.response(ProviderReply(status: status, contentType: "application/json", body: bytes))
    }
}
