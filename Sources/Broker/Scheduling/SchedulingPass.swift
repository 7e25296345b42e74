/// What one scheduling pass did, for logs and tests.
public struct SchedulingPass: Sendable, Equatable {
    /// Jobs whose every node the providers accepted in this pass.
    public var placed: [String] = []
    /// Jobs that started (every node running).
    public var started: [String] = []
    /// Jobs still waiting for the market, with why.
    public var waiting: [String: String] = [:]
    /// Gangs given up (a node failed or timed out), by job.
    public var released: [String: String] = [:]
    /// Migrating jobs whose every rank runs again.
    public var resumed: [String] = []
    /// Jobs failed because their deadline passed while they waited.
    public var expired: [String] = []
    /// Running `market: auto` jobs whose gang began a planned move to the other market, with why.
    public var moved: [String: String] = [:]

    public init() {}
}
