import BrokerCore

/// What a launch asked an instance to run: a virtual machine's boot script, or a container's command.
enum InstanceBoot: Sendable, Equatable {
    case script(String)
    case command([String])
}

/// One instance a provider of the simulated market runs for the account.
struct SimulatedInstance: Sendable {
    /// Where an instance is in its life, as a function of the clock.
    enum Phase: Sendable, Comparable {
        case booting
        case running
        case stopping
        case terminated
    }

    // Filled in by the registry at launch.
    var provider: SimulatedProvider = .vast
    /// The provider's own id: Vast contract number, RunPod pod id, Lambda hex id, EC2 `i-…`,
    /// Shadeform UUID.
    var id = ""
    /// The capacity pool it holds units of (see ``InstanceRegistry``).
    var pool = ""
    var units = 1
    var createdAt = 0.0
    /// When terminate was asked for.
    var terminatedAt: Double?
    var timings = InstanceTimings()
    /// EC2 reservation id.
    var reservation = ""
    /// EC2's idempotency token.
    var clientToken: String?
    /// The spot zone whose capacity it holds (see ``SpotZones``), nil for an on-demand instance.
    var spotZone: String?

    // Described by the launch.
    /// The name or label the launch gave it (on AWS, the `Name` tag).
    var name: String
    /// The offer it took, spelled as the broker's pricing adapters spell the native offer id.
    var offer: String
    /// Instance type, GPU type id or Vast GPU name.
    var type: String
    /// Region (Lambda, AWS, Shadeform), cloud (RunPod) or location (Vast).
    var region: String
    /// The EC2 availability zone; empty elsewhere.
    var zone: String = ""
    /// Cloud name (Shadeform), cloud type (RunPod).
    var cloud: String = ""
    var image: String
    var spot: Bool = false
    /// The price per hour at launch, in dollars.
    var pricePerHour: Double
    /// EC2 tags, in the order given.
    var tags: [(key: String, value: String)] = []
    /// The environment the launch asked for (Vast's `env`, RunPod's `env`, Shadeform's `envs`, the
    /// `docker run -e` words of Lambda's and EC2's boot script): what a node's agent is started with.
    var environment: [String: String] = [:]
    /// What the instance runs when it boots (`gridbroker sim --exec-nodes` runs it for real).
    var boot: InstanceBoot?
    /// Its GPU model (nil when the catalog does not know the provider's name) and how many it has:
    /// how fast a simulated agent works through its shards.
    var gpu: GPUModel?
    var gpus = 1

    /// Sets ``gpu`` to the catalog's model for the provider's GPU name (and memory, when the name
    /// fits several) and ``gpus`` to `count`.
    mutating func setGPU(named name: String, memoryGB: Int? = nil, count: Int) {
        gpu = GPUCatalog.standard.model(named: name, memoryGB: memoryGB)
        gpus = count
    }

    /// `terminatedAt` may lie ahead: a reclaim announced with notice takes the instance then.
    func phase(at time: Double) -> Phase {
        if let terminatedAt, time >= terminatedAt {
            return time >= terminatedAt + timings.shutdownSeconds ? .terminated : .stopping
        }
        return time >= createdAt + timings.bootSeconds ? .running : .booting
    }

    /// Whether the provider still lists the instance at `time`.
    func isListed(at time: Double) -> Bool {
        guard let terminatedAt else { return true }
        return time < terminatedAt + timings.shutdownSeconds + timings.retainSeconds
    }

    /// Seconds since it started running, or nil before.
    func uptime(at time: Double) -> Int? {
        phase(at: time) == .running ? Int(time - createdAt - timings.bootSeconds) : nil
    }
}
