import BrokerCore
import NodeAgent

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One simulated node's agent: the real agent's decisions (``AgentMachine``), with a
/// ``ShardWork`` in place of the training command and the simulator's clock in place of timers.
struct SimulatedAgent: Sendable {
    let broker: String
    let token: String
    /// When the agent started (Unix seconds): the machine's times count from here.
    let startedAt: Double
    private var machine: AgentMachine
    private(set) var work: ShardWork
    /// Actions not carried out yet.
    private var pending: [AgentAction]

    init(
        broker: String, token: String, address: String, secondsPerShard: Double, simulation: AgentSimulation,
        at time: Double
    ) {
        self.broker = broker.hasSuffix("/") ? String(broker.dropLast()) : broker
        self.token = token
        startedAt = time
        // The machine hands these paths to the command; the simulated command needs no files.
        machine = AgentMachine(
            settings: AgentSettings(
                interval: simulation.heartbeatInterval, checkpointSignal: SIGUSR1, shardsFile: "shards.txt",
                progressFile: "progress.json", address: address))
        work = ShardWork(secondsPerShard: secondsPerShard, checkpointEvery: simulation.checkpointEveryShards)
        pending = machine.start()
    }

    /// Whether the agent has exited (after its `exited` heartbeat).
    var isDone: Bool { machine.isDone }

    /// Does what is due at `time`: the work up to then, a heartbeat whose time has come, and what
    /// the answers ask for, until nothing is left to do now.
    mutating func run(at time: Double, transport: any HeartbeatTransport) async {
        let elapsed = Duration.milliseconds(Int64(((time - startedAt) * 1_000).rounded(.down)))
        if let deadline = machine.nextDeadline, deadline <= elapsed {
            pending += machine.handle(.timer, at: elapsed)
        }
        work.advance(to: time)
        while !pending.isEmpty {
            switch pending.removeFirst() {
            case .sendHeartbeat(let status, let exitCode):
                let report = HeartbeatReport(
                    status: status, exitCode: exitCode, progress: work.progress, address: machine.settings.address)
                pending += machine.handle(await transport.send(report, broker: broker, token: token), at: elapsed)
            case .writeShards(let shards):
                work.assign(shards, at: time)
            case .startCommand(let environment):
                work.start(environment: environment, at: time)
            case .signal(let signal) where signal == machine.settings.checkpointSignal:
                work.saveCheckpoint(at: time)
            case .signal(let signal) where signal == SIGTERM:
                // The simulated command stops at once and cleanly.
                work.stop(at: time)
                pending += machine.handle(.commandExited(code: 0), at: elapsed)
            case .fetchDataset:
                // The simulated command works on shard numbers; it needs no objects.
                pending += machine.handle(.datasetFetched, at: elapsed)
            case .signal, .exit:
                // SIGKILL never comes (the command stopped on SIGTERM); after exit nothing does.
                break
            }
        }
    }
}
