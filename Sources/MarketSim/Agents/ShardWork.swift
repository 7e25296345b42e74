import NodeAgent

/// The training command of a simulated node: works through its shards one at a time in the order
/// the broker lists them, each taking `secondsPerShard`, from when the agent starts it until it is
/// stopped; idles when none is left. It counts training steps as shards, continuing from the step
/// of the checkpoint it resumes from (`…/step-N`), and writes a checkpoint (`<checkpoint uri>/step-N`)
/// every `checkpointEvery` shards and when asked; with no checkpoint URI it writes none.
struct ShardWork: Sendable {
    let secondsPerShard: Double
    let checkpointEvery: Int
    private var done: Set<Int> = []
    private var assigned: [Int] = []
    /// The shard in progress and when work on it began.
    private var current: (shard: Int, since: Double)?
    private var running = false
    private var checkpointURI: String?
    private var step = 0
    private var checkpoint: AgentProgress.Checkpoint?

    init(secondsPerShard: Double, checkpointEvery: Int) {
        self.secondsPerShard = secondsPerShard
        self.checkpointEvery = max(checkpointEvery, 1)
    }

    /// What the agent reports: every shard done here, and the last checkpoint.
    var progress: AgentProgress {
        AgentProgress(shardsDone: done.sorted(), checkpoint: checkpoint)
    }

    /// Starts work with the environment the agent gives the command.
    mutating func start(environment: [String: String], at time: Double) {
        checkpointURI = environment["GRIDBROKER_CHECKPOINT_URI"].map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        step = environment["GRIDBROKER_RESUME_FROM"].flatMap(Self.step(of:)) ?? 0
        running = true
        pickNext(at: time)
    }

    /// The broker's list of shards still to do here; a shard in progress that left it is dropped.
    mutating func assign(_ shards: [Int], at time: Double) {
        advance(to: time)
        assigned = shards
        if let current, !shards.contains(current.shard) { self.current = nil }
        pickNext(at: time)
    }

    /// Writes a checkpoint now (the agent forwards the broker's `checkpoint`).
    mutating func saveCheckpoint(at time: Double) {
        advance(to: time)
        writeCheckpoint(at: time)
    }

    /// Stops work for good (the agent forwards the broker's `stop`).
    mutating func stop(at time: Double) {
        advance(to: time)
        running = false
        current = nil
    }

    /// Finishes every shard due by `time`.
    mutating func advance(to time: Double) {
        while running, let working = current, working.since + secondsPerShard <= time {
            let finished = working.since + secondsPerShard
            done.insert(working.shard)
            step += 1
            current = nil
            if done.count % checkpointEvery == 0 { writeCheckpoint(at: finished) }
            pickNext(at: finished)
        }
    }

    private mutating func pickNext(at time: Double) {
        guard running, current == nil, let next = assigned.first(where: { !done.contains($0) }) else { return }
        current = (next, time)
    }

    private mutating func writeCheckpoint(at time: Double) {
        guard let checkpointURI else { return }
        checkpoint = .init(uri: "\(checkpointURI)/step-\(step)", at: Timestamp.iso8601(time, milliseconds: true))
    }

    /// N of a checkpoint URI ending in `step-N`.
    static func step(of uri: String) -> Int? {
        guard let last = uri.split(separator: "/").last, last.hasPrefix("step-") else { return nil }
        return Int(last.dropFirst(5))
    }
}
