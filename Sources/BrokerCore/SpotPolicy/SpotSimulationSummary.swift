/// Per deadline and policy: how the runs went, relative to running on on-demand only.
public struct SpotSimulationSummary: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public var deadlineSeconds: Int64
        public var policy: String
        public var runs: Int
        /// Mean over runs of cost ÷ the on-demand-only cost of the same run (a ratio, not money).
        public var meanRelativeCost: Double
        /// Mean cost per run.
        public var meanCost: Money
        public var missedDeadlines: Int
        /// Mean finish, seconds after the start.
        public var meanFinishSeconds: Double

        public var missedRate: Double { runs == 0 ? 0 : Double(missedDeadlines) / Double(runs) }
    }

    public var rows: [Row]

    /// Summarizes `records`; `baseline` names the policy costs are compared with. Rows come in the
    /// order of `deadlines` and then `policies`.
    public init(
        _ records: [SpotSimulationRecord], deadlines: [Int64], policies: [String], baseline: String = "on-demand-only"
    ) {
        struct RunKey: Hashable {
            var trace: String
            var start: Int
            var deadline: Int64
        }
        var baselineCost: [RunKey: Money] = [:]
        for record in records where record.policy == baseline {
            baselineCost[RunKey(trace: record.trace, start: record.start, deadline: record.job.deadlineSeconds)] =
                record.result.cost
        }
        var grouped: [Int64: [String: [SpotSimulationRecord]]] = [:]
        for record in records {
            grouped[record.job.deadlineSeconds, default: [:]][record.policy, default: []].append(record)
        }
        rows = deadlines.flatMap { deadline in
            policies.compactMap { policy -> Row? in
                guard let runs = grouped[deadline]?[policy], !runs.isEmpty else { return nil }
                let total = runs.reduce(Money.zero) { $0 + $1.result.cost }
                let relative = runs.reduce(0.0) { sum, record in
                    let key = RunKey(trace: record.trace, start: record.start, deadline: deadline)
                    let base = baselineCost[key]?.microdollars ?? 0
                    return sum + (base > 0 ? Double(record.result.cost.microdollars) / Double(base) : 0)
                }
                return Row(
                    deadlineSeconds: deadline, policy: policy, runs: runs.count,
                    meanRelativeCost: relative / Double(runs.count),
                    meanCost: Money(microdollars: total.microdollars / Int64(runs.count)),
                    missedDeadlines: runs.count { !$0.result.metDeadline(of: $0.job) },
                    meanFinishSeconds: Double(runs.reduce(Int64(0)) { $0 + $1.result.finishedAtSeconds })
                        / Double(runs.count))
            }
        }
    }
}
