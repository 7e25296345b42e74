/// Replays the standard policies over a trace for a set of deadlines and start points: what
/// `gridbroker simulate-policy` runs for each trace file.
public struct SpotPolicySimulation: Sendable {
    public var workSeconds: Int64
    /// Deadlines in seconds after the start, each at least the work plus one restart overhead.
    public var deadlineSeconds: [Int64]
    public var restartOverheadSeconds: Int64
    public var prices: SpotPrices

    public init(
        workSeconds: Int64, deadlineSeconds: [Int64],
        restartOverheadSeconds: Int64 = SpotJob.paperRestartOverheadSeconds, prices: SpotPrices = .paper
    ) {
        self.workSeconds = workSeconds
        self.deadlineSeconds = deadlineSeconds
        self.restartOverheadSeconds = restartOverheadSeconds
        self.prices = prices
    }

    /// The names of the policies, in the order ``run(trace:named:starts:)`` reports them.
    public static let policyNames = ["on-demand-only", "uniform-progress", "gridbroker", "omniscient"]

    /// `count` start ticks drawn uniformly with `generator`. They leave room for the longest deadline
    /// when the trace is long enough; otherwise they range over the whole trace, and a run that
    /// reaches the end of the trace finishes on on-demand (see ``SpotReplay``).
    public func starts(in trace: SpotTrace, count: Int, using generator: inout some RandomNumberGenerator) -> [Int] {
        let needed = trace.ticks(covering: deadlineSeconds.max() ?? 0)
        let last = trace.count >= needed ? trace.count - needed : trace.count - 1
        return (0..<count).map { _ in Int.random(in: 0...max(0, last), using: &generator) }
    }

    /// Every policy, from every start, for every deadline. The gridbroker policy of a start learns
    /// from the trace before it, never from what follows.
    public func run(trace: SpotTrace, named name: String, starts: [Int]) -> [SpotSimulationRecord] {
        var records: [SpotSimulationRecord] = []
        let histories = Dictionary(
            starts.map { ($0, SpotHistory(trace: trace.prefix(before: $0))) }, uniquingKeysWith: { first, _ in first })
        for deadline in deadlineSeconds {
            let job = SpotJob(
                workSeconds: workSeconds, deadlineSeconds: deadline, restartOverheadSeconds: restartOverheadSeconds)
            let replay = SpotReplay(trace: trace, job: job, prices: prices)
            let planner = OmniscientPlanner(trace: trace, job: job, prices: prices)
            for start in starts {
                let online: [any SpotPolicy] = [
                    OnDemandOnlyPolicy(), UniformProgressPolicy(),
                    GridbrokerSpotPolicy(job: job, history: histories[start] ?? .empty, prices: prices),
                ]
                var results = online.map { (name: $0.name, result: replay.run($0, from: start)) }
                // The online policies' costs bound the omniscient search.
                let plan = planner.plan(from: start, knownCost: results.map(\.result.cost).min())
                let omniscient = OmniscientPolicy(plan: plan, job: job, prices: prices)
                results.append((omniscient.name, replay.run(omniscient, from: start)))
                for (policy, result) in results {
                    records.append(
                        SpotSimulationRecord(policy: policy, trace: name, start: start, job: job, result: result))
                }
            }
        }
        return records
    }
}
