/// What an owner's machine sends when it joins a pool (`POST /v1/hosts/register`).
public struct MachineRegistrationRequest: Codable, Sendable, Equatable {
    public var name: String
    /// The GPU as the machine names it (nvidia-smi's name, or the catalog's); the broker resolves it.
    public var gpu: String
    public var gpus: Int
    public var gpuMemoryGB: Int?

    public init(name: String, gpu: String, gpus: Int, gpuMemoryGB: Int?) {
        self.name = name
        self.gpu = gpu
        self.gpus = gpus
        self.gpuMemoryGB = gpuMemoryGB
    }

    enum CodingKeys: String, CodingKey {
        case name, gpu, gpus
        case gpuMemoryGB = "gpu_memory_gb"
    }
}

/// The broker's answer to a registration: the machine, its offer and its own token.
public struct MachineRegistrationAnswer: Codable, Sendable, Equatable {
    public var machine: String
    public var name: String
    public var pool: String
    public var offer: String
    public var token: String
    public var heartbeatIntervalSeconds: Int

    public init(
        machine: String, name: String, pool: String, offer: String, token: String, heartbeatIntervalSeconds: Int
    ) {
        self.machine = machine
        self.name = name
        self.pool = pool
        self.offer = offer
        self.token = token
        self.heartbeatIntervalSeconds = heartbeatIntervalSeconds
    }

    enum CodingKeys: String, CodingKey {
        case machine, name, pool, offer, token
        case heartbeatIntervalSeconds = "heartbeat_interval_s"
    }
}

/// A machine's heartbeat (`POST /v1/hosts/heartbeat`): the nodes it knows, running (true) or
/// ended since the last heartbeat (false, reported once).
public struct MachineHeartbeatReport: Codable, Sendable, Equatable {
    public var nodes: [String: Bool]
    /// The owner takes the machine back: its nodes must be gone in this many seconds, and it
    /// offers nothing until released. Nil: the machine is lent.
    public var reclaimInSeconds: Int?

    public init(nodes: [String: Bool], reclaimInSeconds: Int? = nil) {
        self.nodes = nodes
        self.reclaimInSeconds = reclaimInSeconds
    }

    enum CodingKeys: String, CodingKey {
        case nodes
        case reclaimInSeconds = "reclaim_in_s"
    }
}

/// The broker's answer to a machine's heartbeat: nodes to start (each as a VM boot would start
/// it: the node agent with the node's spec and token) and nodes to stop.
public struct MachineHeartbeatAnswer: Codable, Sendable, Equatable {
    public var machine: String
    public var heartbeatIntervalSeconds: Int
    public var launches: [NodeSpec]
    public var stops: [String]

    public init(machine: String, heartbeatIntervalSeconds: Int, launches: [NodeSpec], stops: [String]) {
        self.machine = machine
        self.heartbeatIntervalSeconds = heartbeatIntervalSeconds
        self.launches = launches
        self.stops = stops
    }

    enum CodingKeys: String, CodingKey {
        case machine, launches, stops
        case heartbeatIntervalSeconds = "heartbeat_interval_s"
    }
}

/// The GPUs `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader` lists: one line per
/// GPU, `NVIDIA A100-SXM4-80GB, 81920 MiB`. A machine lends its GPUs as one offer, so they must be
/// of one model.
public struct NvidiaSMIGPUs: Sendable, Equatable {
    public var name: String
    public var count: Int
    /// Memory per GPU, in GB (rounded from MiB).
    public var memoryGB: Int

    /// The GPUs in `output`, or why they cannot be lent as one machine.
    public static func parse(_ output: String) -> Result<NvidiaSMIGPUs, ParseFailure> {
        var gpus: [(name: String, memoryMiB: Int)] = []
        for line in output.split(whereSeparator: \.isNewline) where !line.allSatisfy(\.isWhitespace) {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { field in
                String(field.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
            }
            let memory = fields.count == 2 ? fields[1].split(separator: " ").first.flatMap { Int($0) } : nil
            guard fields.count == 2, !fields[0].isEmpty, let memory else {
                return .failure(ParseFailure(message: "cannot read the nvidia-smi line '\(line)'"))
            }
            gpus.append((fields[0], memory))
        }
        guard let first = gpus.first else { return .failure(ParseFailure(message: "nvidia-smi lists no GPU")) }
        guard gpus.allSatisfy({ $0.name == first.name }) else {
            let names = Set(gpus.map(\.name)).sorted().joined(separator: ", ")
            return .failure(ParseFailure(message: "the GPUs are of several models (\(names)); give --gpu and --gpus"))
        }
        return .success(NvidiaSMIGPUs(name: first.name, count: gpus.count, memoryGB: (first.memoryMiB + 512) / 1024))
    }

    public struct ParseFailure: Error, Equatable {
        public var message: String
    }
}
