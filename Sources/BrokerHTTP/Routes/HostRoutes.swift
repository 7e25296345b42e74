import Broker
import BrokerCore
import Foundation
import Hummingbird
import NodeAgent
import Store

/// The owner machines' endpoints: `POST /v1/hosts/register` (with a pool's join token: the
/// machine's name and GPUs in, its own machine token out, once) and `POST /v1/hosts/heartbeat`
/// (with that machine token). A join token opens nothing else; a machine token only its machine.
struct HostRoutes {
    let machines: PoolMachines
    let catalog: GPUCatalog
    /// Where an owner's reclaim is recorded, as a provider's interruption notice would be.
    let notices: InterruptionNotices
    let clock: any BrokerClock

    func register(on router: some RouterMethods<some RequestContext>) {
        router.post("v1/hosts/register") { request, _ in
            guard let joinToken = BearerToken.from(request) else { throw Self.unauthorized(.joinToken) }
            var body = try await BodyReader.read(request)
            let name = body.string("name", required: true, maximumLength: 63)
            let gpu = body.string("gpu", required: true, maximumLength: 64)
            let gpus = body.int("gpus", range: MachineRegistration.gpuCounts)
            if !body.has("gpus") { body.report("gpus", "is required") }
            let gpuMemory = body.int("gpu_memory_gb", range: MachineRegistration.gpuMemories)
            let vcpus = body.int("vcpus", range: MachineRegistration.vcpuCounts)
            let memory = body.int("memory_gb", range: MachineRegistration.sizesGB)
            let disk = body.int("disk_gb", range: MachineRegistration.sizesGB)
            let checked = MachineRegistration.check(
                name: name, gpu: gpu, gpus: gpus, gpuMemoryGB: gpuMemory, vcpus: vcpus, memoryGB: memory, diskGB: disk,
                catalog: catalog)
            for problem in checked.problems { body.report(problem.field, problem.message) }
            try body.finish()
            guard let registration = checked.registration else {
                throw ProblemDetails(status: .badRequest, detail: "invalid request body")
            }
            guard let registered = try await machines.register(joinToken: joinToken, registration) else {
                throw Self.unauthorized(.joinToken)
            }
            return JSONResponse(
                MachineRegistrationAnswer(
                    machine: registered.machine.id, name: registered.machine.name, pool: registered.pool.id,
                    offer: "\(registered.pool.id):\(registered.machine.name)", token: registered.token,
                    heartbeatIntervalSeconds: Self.heartbeatInterval(machines.machineTimeout)),
                status: .created)
        }
        router.post("v1/hosts/heartbeat") { request, _ in
            guard let token = BearerToken.from(request) else { throw Self.unauthorized(.machineToken) }
            let report = try await Self.report(request)
            guard
                let (machine, orders) = try await machines.heartbeat(
                    machineToken: token, nodes: report.nodes, lent: report.reclaimInSeconds == nil)
            else { throw Self.unauthorized(.machineToken) }
            if let seconds = report.reclaimInSeconds { try await reclaim(machine, within: seconds) }
            return JSONResponse(
                MachineHeartbeatAnswer(
                    machine: machine.id, heartbeatIntervalSeconds: Self.heartbeatInterval(machines.machineTimeout),
                    launches: orders.launches, stops: orders.stops))
        }
    }

    /// The machine's report: `{"nodes": {"<node id>": true | false}, "reclaim_in_s": N}`, or an
    /// empty body for no nodes.
    static func report(_ request: Request) async throws -> MachineHeartbeatReport {
        let body = try await request.body.collect(upTo: 64 * 1024)
        guard body.readableBytes > 0 else { return MachineHeartbeatReport(nodes: [:]) }
        let decoder = JSONDecoder()
        guard let report = try? decoder.decode(MachineHeartbeatReport.self, from: Data(body.readableBytesView)),
            let keys = try? decoder.decode([String: IgnoredValue].self, from: Data(body.readableBytesView)).keys
        else {
            throw ProblemDetails(
                status: .badRequest,
                detail:
                    #"the body must be {"nodes": {"<node id>": true (running) or false (ended)}, "reclaim_in_s"?: N}"#)
        }
        if let unknown = keys.sorted().first(where: { $0 != "nodes" && $0 != "reclaim_in_s" }) {
            throw ProblemDetails(
                status: .badRequest, detail: "invalid request body",
                errors: [.init(field: unknown, message: "unknown field")])
        }
        if let seconds = report.reclaimInSeconds, !(0...86_400).contains(seconds) {
            throw ProblemDetails(
                status: .badRequest, detail: "invalid request body",
                errors: [.init(field: "reclaim_in_s", message: "must be a whole number from 0 to 86400")])
        }
        return report
    }

    /// Any JSON value, unread: to list a body's members.
    private struct IgnoredValue: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    /// The owner takes `machine` back: it leaves the market, and each node on it gets the notice a
    /// spot reclaim gives (the node goes to preempting: checkpoint, replacement elsewhere, resume).
    /// Recorded once: the first heartbeat that says so (the delivery is the machine and its deadline).
    private func reclaim(_ machine: PoolMachineRecord, within seconds: Int) async throws {
        let nodes = try await machines.reclaim(machine.id)
        guard !nodes.isEmpty else { return }
        let deadline = Date(timeIntervalSince1970: (clock.now.timeIntervalSince1970 + Double(seconds)).rounded(.up))
        let notices = nodes.map { node in
            InterruptionNotice(
                instanceID: node, kind: .interruption, notBefore: deadline,
                summary: "the owner takes machine \(machine.name) back by \(RFC3339.string(from: deadline))")
        }
        let delivery = "reclaim-\(machine.id)-\(Int(deadline.timeIntervalSince1970))"
        do {
            _ = try await self.notices.record(notices, deliveryID: delivery, provider: machine.poolId)
        } catch {
            // Not recorded: the machine's next heartbeat, which says it again, tries again.
            try? await machines.release(machine.id)
            throw error
        }
    }

    /// A third of the timeout: two heartbeats may be lost before the machine leaves the market.
    static func heartbeatInterval(_ timeout: Duration) -> Int { max(1, Int(timeout.timeInterval / 3)) }

    private static func unauthorized(_ credential: AuthFailures.Credential) -> ProblemDetails {
        AuthFailures.record(credential)
        let name = credential == .joinToken ? "join token" : "machine token"
        return ProblemDetails(status: .unauthorized, detail: "a valid \(name) is required")
    }
}
