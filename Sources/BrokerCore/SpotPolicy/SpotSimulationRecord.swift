/// One policy's run of one job from one start on one trace.
public struct SpotSimulationRecord: Sendable, Hashable {
    public var policy: String
    public var trace: String
    /// The trace tick the job started at.
    public var start: Int
    public var job: SpotJob
    public var result: SpotRunResult

    public init(policy: String, trace: String, start: Int, job: SpotJob, result: SpotRunResult) {
        self.policy = policy
        self.trace = trace
        self.start = start
        self.job = job
        self.result = result
    }
}

extension SpotSimulationRecord {
    /// The record as one line of JSON, the format `simulate-policy --json` writes:
    /// `{"policy", "trace", "start", "deadline", "cost", "finished_at_hours", "actions"}`, with the
    /// start as a trace tick, the deadline and the finish in hours after the start, the cost in
    /// dollars, and the run's actions one letter a tick (``SpotRunResult/actions``).
    public var jsonLine: String {
        let fields = [
            ("policy", JSONString.quoted(policy)), ("trace", JSONString.quoted(trace)), ("start", String(start)),
            ("deadline", Self.hours(job.deadlineSeconds)), ("cost", result.cost.decimalString),
            ("finished_at_hours", Self.hours(result.finishedAtSeconds)), ("actions", JSONString.quoted(result.actions)),
        ]
        return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    private static func hours(_ seconds: Int64) -> String {
        String(Double(seconds) / 3600)
    }
}
