/// Where a node (one provisioned machine of a job) is in its life. The raw values are the API's
/// and the database's.
///
/// ```
/// requested → booting → running → preempting → terminating → terminated
///     ↓          ↓          └──────────┴──────(vanish)──────↗
///   failed     failed
/// ```
/// booting can vanish too.
/// requested, booting, running and preempting can also go straight to terminating.
/// The only way to move is ``applying(_:)``, whose table is the definition of the allowed moves.
public enum NodeState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Asked of the provider, not yet accepted.
    case requested
    case booting
    case running
    /// A reclaim notice was received; the node is checkpointing.
    case preempting
    /// Termination was asked of the provider.
    case terminating
    case terminated
    /// Provisioning failed; no instance exists.
    case failed

    /// The state after `event`, or ``InvalidTransition`` when `event` is not allowed from here.
    ///
    /// - `boot`: requested → booting (the provider accepted the request)
    /// - `start`: booting → running (the agent's first heartbeat: a node runs once its agent does)
    /// - `preempt`: running → preempting (a notice, or the provider shows it going)
    /// - `terminate`: requested, booting, running, preempting → terminating
    /// - `confirmTerminated`: terminating → terminated
    /// - `vanish`: booting, running, preempting → terminated (the instance is gone before the
    ///   broker terminated it)
    /// - `fail`: requested, booting → failed
    public func applying(_ event: NodeEvent) throws(InvalidTransition) -> NodeState {
        switch (self, event) {
        case (.requested, .boot): return .booting
        case (.booting, .start): return .running
        case (.running, .preempt): return .preempting
        case (.requested, .terminate), (.booting, .terminate), (.running, .terminate), (.preempting, .terminate):
            return .terminating
        case (.terminating, .confirmTerminated): return .terminated
        case (.booting, .vanish), (.running, .vanish), (.preempting, .vanish): return .terminated
        case (.requested, .fail), (.booting, .fail): return .failed
        default: throw InvalidTransition(subject: "node", state: rawValue, event: event.rawValue)
        }
    }

    /// True for terminated and failed, which no event leaves.
    public var isTerminal: Bool {
        switch self {
        case .terminated, .failed: true
        case .requested, .booting, .running, .preempting, .terminating: false
        }
    }

    /// May hold an instance at its provider: every state but the terminal ones.
    public var isLive: Bool { !isTerminal }

    /// Serves its rank, or is on its way to: requested, booting, running, preempting (not yet
    /// asked to go).
    public var isActive: Bool {
        switch self {
        case .requested, .booting, .running, .preempting: true
        case .terminating, .terminated, .failed: false
        }
    }

    /// Billed: from the provider's acceptance until the instance is confirmed gone.
    public var isBilling: Bool {
        switch self {
        case .booting, .running, .preempting, .terminating: true
        case .requested, .terminated, .failed: false
        }
    }

    /// Waiting on its provider to finish a change: requested, booting, terminating (the
    /// reconciler keeps looking closely while any node is).
    public var isInTransition: Bool {
        switch self {
        case .requested, .booting, .terminating: true
        case .running, .preempting, .terminated, .failed: false
        }
    }

    /// The states with ``isLive``, ``isActive`` and ``isTerminal``, for the queries that filter by state.
    public static let live = Set(allCases.filter(\.isLive))
    public static let active = Set(allCases.filter(\.isActive))
    public static let terminal = Set(allCases.filter(\.isTerminal))
}
