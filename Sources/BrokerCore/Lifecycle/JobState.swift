/// Where a job is in its life. The raw values are the API's and the database's.
///
/// ```
/// queued → provisioning → running ⇄ migrating → succeeded | failed | cancelled
///            ↓ (placementFailed)
///          queued
/// ```
/// The only way to move is ``applying(_:)``, whose table is the definition of the allowed moves.
public enum JobState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting for a placement (also where a job no offer can satisfy waits, with a reason).
    case queued
    /// Nodes are being requested and booted.
    case provisioning
    case running
    /// A node was lost or is being reclaimed; its work is moving to a replacement.
    case migrating
    case succeeded
    case failed
    case cancelled

    /// The state after `event`, or ``InvalidTransition`` when `event` is not allowed from here.
    ///
    /// - `provision`: queued → provisioning
    /// - `placementFailed`: provisioning → queued
    /// - `start`: provisioning → running
    /// - `interrupt`: running → migrating
    /// - `resume`: migrating → running
    /// - `succeed`: running or migrating → succeeded (the last shard can finish while a
    ///   replacement for an idle node is still coming up)
    /// - `fail`, `cancel`: any non-terminal state → failed, cancelled
    public func applying(_ event: JobEvent) throws(InvalidTransition) -> JobState {
        switch (self, event) {
        case (.queued, .provision): return .provisioning
        case (.provisioning, .placementFailed): return .queued
        case (.provisioning, .start): return .running
        case (.running, .interrupt): return .migrating
        case (.migrating, .resume): return .running
        case (.running, .succeed), (.migrating, .succeed): return .succeeded
        case (.queued, .fail), (.provisioning, .fail), (.running, .fail), (.migrating, .fail): return .failed
        case (.queued, .cancel), (.provisioning, .cancel), (.running, .cancel), (.migrating, .cancel):
            return .cancelled
        default: throw InvalidTransition(subject: "job", state: rawValue, event: event.rawValue)
        }
    }

    /// True for succeeded, failed and cancelled, which no event leaves.
    public var isTerminal: Bool {
        switch self {
        case .succeeded, .failed, .cancelled: true
        case .queued, .provisioning, .running, .migrating: false
        }
    }
}
