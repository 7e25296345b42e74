import BrokerCore
import NodeAgent

/// The simulated market's node agents: every running instance whose environment carries
/// `GRIDBROKER_URL` and `GRIDBROKER_AGENT_TOKEN` gets one, which heartbeats the broker and works
/// through the shards it is given at the speed of the instance's GPUs. An agent whose instance
/// stops running (reclaimed or terminated) vanishes silently, as the machine does; one that exited
/// on `stop` is not started again.
actor SimulatedAgents {
    let simulation: AgentSimulation
    private var agents: [String: SimulatedAgent] = [:]
    /// Instances whose agent exited.
    private var exited: Set<String> = []
    private var stepping = false

    init(simulation: AgentSimulation) {
        self.simulation = simulation
    }

    /// Brings the agents to `time`: starts those of newly running instances among `live`, drops
    /// those of instances gone, and runs every agent (concurrently) until it waits on time again.
    /// Returns what happened, for the log. A step asked for while one runs does nothing.
    func step(_ live: [SimulatedInstance], at time: Double) async -> [String] {
        guard !stepping else { return [] }
        stepping = true
        defer { stepping = false }
        var notes: [String] = []
        let running = live.filter { $0.phase(at: time) == .running }
        let runningKeys = Set(running.map { Self.key($0.provider, $0.id) })
        for key in agents.keys.sorted() where !runningKeys.contains(key) {
            agents[key] = nil
            notes.append("agent on \(key): its instance is gone")
        }
        exited.formIntersection(live.map { Self.key($0.provider, $0.id) })
        for instance in running {
            let key = Self.key(instance.provider, instance.id)
            guard agents[key] == nil, !exited.contains(key), let broker = instance.environment["GRIDBROKER_URL"],
                let token = instance.environment["GRIDBROKER_AGENT_TOKEN"]
            else { continue }
            let secondsPerShard =
                simulation.shardSeconds / ShardPlanner.weight(gpu: instance.gpu, count: instance.gpus)
            agents[key] = SimulatedAgent(
                broker: broker, token: token, address: Self.privateAddress(of: key), secondsPerShard: secondsPerShard,
                simulation: simulation, at: time)
            let gpu = instance.gpu?.name ?? instance.type
            notes.append(
                "agent on \(key) starts: \(instance.gpus)x \(gpu), \(Self.seconds(secondsPerShard)) s per shard")
        }
        let transport = simulation.transport
        let current = agents
        let ran = await withTaskGroup(of: (String, SimulatedAgent).self) { group in
            for (key, agent) in current {
                group.addTask {
                    var agent = agent
                    await agent.run(at: time, transport: transport)
                    return (key, agent)
                }
            }
            var ran: [(String, SimulatedAgent)] = []
            for await result in group { ran.append(result) }
            return ran
        }
        for (key, agent) in ran.sorted(by: { $0.0 < $1.0 }) {
            if agent.isDone {
                agents[key] = nil
                exited.insert(key)
                notes.append("agent on \(key) exited after \(agent.work.progress.shardsDone.count) shards")
            } else {
                agents[key] = agent
            }
        }
        return notes
    }

    private static func key(_ provider: SimulatedProvider, _ id: String) -> String {
        provider.rawValue + " " + id
    }

    /// `seconds` with two decimals, for the log.
    private static func seconds(_ seconds: Double) -> String {
        let hundredths = Int((seconds * 100).rounded())
        let fraction = String(hundredths % 100)
        return "\(hundredths / 100)." + (fraction.count == 1 ? "0" : "") + fraction
    }

    /// A private IPv4 address for the instance, the same for the same key (FNV-1a into 10.0.0.0/8).
    static func privateAddress(of key: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in key.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return "10.\((hash >> 16) & 0xFF).\((hash >> 8) & 0xFF).\(max(1, hash & 0xFF))"
    }
}
