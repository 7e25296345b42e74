#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The agent's decisions, without I/O: events in, actions out. Times are durations since the agent
/// started, passed in by the caller.
///
/// One heartbeat is in flight at a time. The first one goes out before the command starts; its answer
/// starts the command. A failed heartbeat is retried after a growing delay (never longer than the
/// interval) and never stops the command. The agent exits only after reporting the command's end
/// (or after ``AgentSettings/finalReportTimeout`` of trying).
public struct AgentMachine: Sendable {
    private enum Phase: Equatable {
        /// Waiting for the first answer; the command has not started.
        case awaitingFirstAnswer
        case running
        /// SIGTERM sent on `stop`; SIGKILL at `killAt` unless the command ended.
        case stopping(killAt: Duration, killed: Bool)
        /// The command ended (or never started); the `exited` heartbeat is being sent.
        case reporting(exitCode: Int32?, agentExitCode: Int32, giveUpAt: Duration)
        case done
    }

    public let settings: AgentSettings
    private var phase = Phase.awaitingFirstAnswer
    /// The status of the heartbeat in flight, if any.
    private var inFlight: HeartbeatReport.Status?
    private var nextHeartbeatAt: Duration?
    private var failures = 0
    private var writtenShards: [Int]?
    /// Whether the last answer asked for a checkpoint: the broker repeats it while a notice lasts,
    /// the command gets the signal once per notice.
    private var checkpointAsked = false
    /// Whether the job's shard objects are here, and whether a fetch of them is under way.
    private var hasDataset = false
    private var fetchingDataset = false
    /// The newest answer while the command waits for the dataset.
    private var waitingAnswer: HeartbeatAnswer?
    /// How long the final report is retried; none after the agent itself was asked to terminate.
    private var reportPatience: Duration

    public init(settings: AgentSettings) {
        self.settings = settings
        reportPatience = settings.finalReportTimeout
    }

    /// The first actions: the `starting` heartbeat.
    public mutating func start() -> [AgentAction] {
        [send(.starting)]
    }

    /// When the caller should deliver ``AgentEvent/timer`` next, if anything is waiting on time.
    public var nextDeadline: Duration? {
        let heartbeat = inFlight == nil && heartbeatStatus != nil ? nextHeartbeatAt : nil
        guard case .stopping(let killAt, false) = phase else { return heartbeat }
        return min(heartbeat ?? killAt, killAt)
    }

    public var isDone: Bool { phase == .done }

    public mutating func handle(_ event: AgentEvent, at now: Duration) -> [AgentAction] {
        switch event {
        case .heartbeatAnswered(let answer): return answered(answer, at: now)
        case .heartbeatFailed: return failed(at: now)
        case .commandExited(let code): return commandExited(code, at: now)
        case .terminationRequested: return terminationRequested(at: now)
        case .timer: return timer(at: now)
        case .datasetFetched: return datasetFetched()
        case .datasetFetchFailed:
            fetchingDataset = false
            return []
        }
    }

    private mutating func answered(_ answer: HeartbeatAnswer, at now: Duration) -> [AgentAction] {
        let sent = inFlight
        inFlight = nil
        failures = 0
        nextHeartbeatAt = now + settings.interval
        let stop = answer.commands.contains("stop")
        switch phase {
        case .awaitingFirstAnswer:
            if stop { return finish(exitCode: nil, agentExitCode: 0, at: now) }
            // Another rank can only meet rank 0 at its address: keep reporting `starting` until
            // the broker knows it.
            if answer.rank != 0, answer.nnodes > 1, answer.masterAddress == nil { return [] }
            if answer.shardObjects, !hasDataset {
                waitingAnswer = answer
                guard !fetchingDataset else { return [] }
                fetchingDataset = true
                return [.fetchDataset]
            }
            return startCommand(answer)
        case .running:
            var actions: [AgentAction] = []
            if answer.shards != writtenShards {
                writtenShards = answer.shards
                actions.append(.writeShards(answer.shards))
            }
            let asked = answer.commands.contains("checkpoint")
            if asked, !checkpointAsked { actions.append(.signal(settings.checkpointSignal)) }
            checkpointAsked = asked
            if stop { actions.append(stopCommand(at: now)) }
            return actions
        case .stopping, .done:
            return []
        case .reporting(_, let agentExitCode, _):
            guard sent == .exited else { return [send(.exited)] }
            phase = .done
            return [.exit(agentExitCode)]
        }
    }

    /// Writes the shards and starts the command; a checkpoint asked for before it runs has nothing
    /// to save and is ignored.
    private mutating func startCommand(_ answer: HeartbeatAnswer) -> [AgentAction] {
        phase = .running
        waitingAnswer = nil
        writtenShards = answer.shards
        return [
            .writeShards(answer.shards),
            .startCommand(environment: CommandEnvironment.variables(for: answer, settings: settings)),
        ]
    }

    private mutating func datasetFetched() -> [AgentAction] {
        fetchingDataset = false
        hasDataset = true
        guard phase == .awaitingFirstAnswer, let answer = waitingAnswer else { return [] }
        return startCommand(answer)
    }

    private mutating func stopCommand(at now: Duration) -> AgentAction {
        phase = .stopping(killAt: now + settings.stopGrace, killed: false)
        return .signal(SIGTERM)
    }

    private mutating func terminationRequested(at now: Duration) -> [AgentAction] {
        reportPatience = .zero
        switch phase {
        case .awaitingFirstAnswer: return finish(exitCode: nil, agentExitCode: 0, at: now)
        case .running: return [stopCommand(at: now)]
        case .reporting(let exitCode, let agentExitCode, _):
            phase = .reporting(exitCode: exitCode, agentExitCode: agentExitCode, giveUpAt: now)
            return []
        case .stopping, .done: return []
        }
    }

    private mutating func failed(at now: Duration) -> [AgentAction] {
        inFlight = nil
        failures += 1
        if case .reporting(_, let agentExitCode, let giveUpAt) = phase, now >= giveUpAt {
            phase = .done
            return [.exit(agentExitCode)]
        }
        nextHeartbeatAt = now + retryDelay
        return []
    }

    /// `firstRetryDelay` doubled per consecutive failure, capped at the interval.
    private var retryDelay: Duration {
        var delay = settings.firstRetryDelay
        for _ in 1..<max(failures, 1) where delay < settings.interval {
            delay *= 2
        }
        return min(delay, settings.interval)
    }

    private mutating func commandExited(_ code: Int32, at now: Duration) -> [AgentAction] {
        switch phase {
        case .running: return finish(exitCode: code, agentExitCode: code, at: now)
        case .stopping: return finish(exitCode: code, agentExitCode: 0, at: now)
        case .awaitingFirstAnswer, .reporting, .done: return []
        }
    }

    private mutating func finish(exitCode: Int32?, agentExitCode: Int32, at now: Duration) -> [AgentAction] {
        phase = .reporting(
            exitCode: exitCode, agentExitCode: agentExitCode, giveUpAt: now + reportPatience)
        failures = 0
        return inFlight == nil ? [send(.exited)] : []
    }

    private mutating func timer(at now: Duration) -> [AgentAction] {
        var actions: [AgentAction] = []
        if case .stopping(let killAt, false) = phase, now >= killAt {
            phase = .stopping(killAt: killAt, killed: true)
            actions.append(.signal(SIGKILL))
        }
        if inFlight == nil, let due = nextHeartbeatAt, now >= due, let status = heartbeatStatus {
            actions.append(send(status))
        }
        return actions
    }

    /// The status a heartbeat reports now; `nil` while stopping (the next one is the `exited` one).
    private var heartbeatStatus: HeartbeatReport.Status? {
        switch phase {
        case .awaitingFirstAnswer: .starting
        case .running: .running
        case .reporting: .exited
        case .stopping, .done: nil
        }
    }

    private mutating func send(_ status: HeartbeatReport.Status) -> AgentAction {
        inFlight = status
        nextHeartbeatAt = nil
        var exitCode: Int32?
        if case .reporting(let code, _, _) = phase { exitCode = code }
        return .sendHeartbeat(status, exitCode: exitCode)
    }
}
