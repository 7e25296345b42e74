import Broker
import BrokerCore
import Hummingbird

/// Operators' nodes: every job's, and terminating one (the reconciler then terminates its
/// instance; a running job migrates to a replacement).
struct AdminNodeRoutes {
    let nodes: NodeControl
    let clock: any BrokerClock

    func register(on router: some RouterMethods<some RequestContext>) {
        let group = router.group("v1/admin/nodes")
        group.get { request, _ in
            var query = QueryReader(request)
            let states = query.choices("state", as: NodeState.self)
            let provider = query.string("provider")
            let limit = query.integer("limit", in: 1...500) ?? 50
            let cursor = query.cursor("cursor", prefix: "node")
            try query.finish()
            let page = try await nodes.list(states: states, provider: provider, limit: limit + 1, after: cursor)
            let shown = Array(page.prefix(limit))
            let now = clock.now
            return JSONResponse(
                NodeListResponse(
                    nodes: shown.map { NodeResponse($0, now: now) },
                    nextCursor: page.count > limit ? shown.last?.id : nil))
        }
        group.post(":id/terminate") { _, context in
            let id = try context.parameters.require("id")
            // An unknown node is a 404, one already terminating or gone a 409.
            return JSONResponse(NodeResponse(try await nodes.terminate(node: id), now: clock.now))
        }
    }
}
