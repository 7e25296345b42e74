/// A job for the spot policy: how much work, by when, and what every (re)start of a node costs.
/// All durations are in whole seconds, counted from the job's start.
public struct SpotJob: Sendable, Hashable, Codable {
    /// Seconds of computation the job needs.
    public var workSeconds: Int64
    /// Seconds after the start by which the work must be done.
    public var deadlineSeconds: Int64
    /// Seconds lost on every start of a node (a fresh launch, a switch of market, a restart after a
    /// preemption): the node bills but makes no progress.
    public var restartOverheadSeconds: Int64

    /// The restart overhead of the "Can't Be Late" setting: 0.2 h.
    public static let paperRestartOverheadSeconds: Int64 = 720

    public init(workSeconds: Int64, deadlineSeconds: Int64, restartOverheadSeconds: Int64 = paperRestartOverheadSeconds)
    {
        self.workSeconds = workSeconds
        self.deadlineSeconds = deadlineSeconds
        self.restartOverheadSeconds = restartOverheadSeconds
    }
}
