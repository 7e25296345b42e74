/// Something that happens to a job and may change its ``JobState``. Raw values name the events in
/// the timeline and in ``InvalidTransition``.
public enum JobEvent: String, Sendable, Hashable, Codable, CaseIterable {
    /// A placement was chosen; nodes are being requested.
    case provision
    /// The placement could not be provisioned; the job waits for the market again.
    case placementFailed = "placement_failed"
    /// All nodes are up and the work has started.
    case start
    /// A node is being reclaimed or was lost.
    case interrupt
    /// The replacement is up; work continues.
    case resume
    /// All the work is done.
    case succeed
    case fail
    /// The team cancelled the job.
    case cancel
}
