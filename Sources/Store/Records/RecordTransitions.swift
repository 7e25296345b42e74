import BrokerCore
import Foundation

extension JobRecord {
    /// The job after `event` at `date` with `reason`, and the timeline event that records it:
    /// started when it first runs, finished when it ends. A move the state machine does not allow
    /// throws ``StoreError/invalidTransition(_:)``. Both stores write exactly this.
    public func applying(_ event: JobEvent, reason: String?, at date: Date) throws -> (JobRecord, EventRecord) {
        var job = self
        do {
            job.state = try state.applying(event)
        } catch {
            throw StoreError.invalidTransition(error.description)
        }
        job.reason = reason
        job.updatedAt = date
        if job.state == .running && job.startedAt == nil { job.startedAt = date }
        if job.state.isTerminal { job.finishedAt = date }
        let record = EventRecord(
            jobId: id, kind: "job.state", fromState: state.rawValue, toState: job.state.rawValue,
            message: reason ?? "\(event.rawValue): \(state.rawValue) → \(job.state.rawValue)", at: date)
        return (job, record)
    }
}

extension NodeRecord {
    /// The node after `event` at `date` (with `reason`, when given), and the timeline event that
    /// records it: terminated when it ends. A move the state machine does not allow throws
    /// ``StoreError/invalidTransition(_:)``. Both stores write exactly this.
    public func applying(_ event: NodeEvent, reason: String?, at date: Date) throws -> (NodeRecord, EventRecord) {
        var node = self
        do {
            node.state = try state.applying(event)
        } catch {
            throw StoreError.invalidTransition(error.description)
        }
        if let reason { node.reason = reason }
        if node.state.isTerminal { node.terminatedAt = date }
        let record = EventRecord(
            jobId: jobId, nodeId: id, providerId: providerId, kind: "node.state", fromState: state.rawValue,
            toState: node.state.rawValue,
            message: "node \(rank): " + (reason ?? "\(event.rawValue): \(state.rawValue) → \(node.state.rawValue)"),
            at: date)
        return (node, record)
    }

    /// The timeline event of this node's intent to launch, `what` saying which launch ("launch",
    /// "replacement on").
    public func requestedEvent(_ what: String, at date: Date) -> EventRecord {
        EventRecord(
            jobId: jobId, nodeId: id, providerId: providerId, kind: "node.requested", toState: state.rawValue,
            message: "node \(rank): \(what) \(offerId) at \(pricePerHour.formatted())/h", at: date)
    }
}
