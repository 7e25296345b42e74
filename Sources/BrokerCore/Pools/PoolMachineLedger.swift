/// Which nodes run on which owner machines, and what each machine is to do next: the decisions of
/// an owner machine's heartbeat, without I/O.
///
/// A launch waits for the machine's next heartbeat and is handed out until the machine reports the
/// node; a terminate is handed out as a stop until the machine no longer reports it. What the
/// machine reports is the truth about what runs there: a node it reports that the ledger does not
/// know (the broker restarted) is kept, and a node it stops reporting is gone.
public struct PoolMachineLedger<Launch: Sendable & Equatable>: Sendable, Equatable {
    /// A node as the ledger knows it.
    public struct Entry: Sendable, Equatable {
        public var machine: String
        public var node: String
        /// What the machine is handed until it reports the node; nil once reported.
        public var launch: Launch?
        /// The launch went out in a heartbeat's answer: the machine may be running it.
        public var handedOut: Bool
        public var stopping: Bool
        /// The machine reports it running.
        public var running: Bool
    }

    /// What a heartbeat answers the machine.
    public struct Orders: Sendable, Equatable {
        public var launches: [Launch]
        /// Nodes to stop.
        public var stops: [String]

        public init(launches: [Launch], stops: [String]) {
            self.launches = launches
            self.stops = stops
        }
    }

    /// By node id.
    public private(set) var entries: [String: Entry] = [:]
    /// Machines whose owner took them back (as their last heartbeat said): offered nothing.
    public private(set) var reclaimed: Set<String> = []

    public init() {}

    /// The owner takes `machine` back: the nodes on it, which must move, the first time (its later
    /// heartbeats repeat it), none after.
    public mutating func reclaim(_ machine: String) -> [String] {
        guard reclaimed.insert(machine).inserted else { return [] }
        return entries.values.filter { $0.machine == machine }.map(\.node).sorted()
    }

    /// The owner lends `machine` again.
    public mutating func release(_ machine: String) {
        reclaimed.remove(machine)
    }

    /// Whether a node is on `machine` (launched, running or stopping).
    public func isBusy(_ machine: String) -> Bool { entries.values.contains { $0.machine == machine } }

    /// Places `node` on `machine`; handed out at the machine's next heartbeat.
    public mutating func launch(_ node: String, on machine: String, _ launch: Launch) {
        entries[node] = Entry(
            machine: machine, node: node, launch: launch, handedOut: false, stopping: false, running: false)
    }

    /// Stops `node`: a launch not yet handed out is dropped at once, any other node is stopped by
    /// its machine. True when the node was known.
    @discardableResult
    public mutating func terminate(_ node: String) -> Bool {
        guard var entry = entries[node] else { return false }
        if !entry.handedOut, !entry.running {
            entries[node] = nil
        } else {
            entry.stopping = true
            entries[node] = entry
        }
        return true
    }

    /// `machine` reports the nodes it knows, running (true) or ended (false; reported once, then
    /// forgotten by the machine); the answer is what it is to do.
    public mutating func heartbeat(_ machine: String, nodes reported: [String: Bool]) -> Orders {
        for (node, running) in reported where running && entries[node] == nil {
            // Known to the machine, not to this ledger (the broker restarted): it runs there.
            entries[node] = Entry(
                machine: machine, node: node, launch: nil, handedOut: true, stopping: false, running: true)
        }
        var orders = Orders(launches: [], stops: [])
        for node in entries.keys.sorted() {
            guard var entry = entries[node], entry.machine == machine else { continue }
            switch reported[node] {
            case true?:
                entry.running = true
                entry.launch = nil
                if entry.stopping { orders.stops.append(node) }
                entries[node] = entry
            case false?:
                // Ended on the machine: its processes are gone.
                entries[node] = nil
            case nil where entry.running:
                // Running before, not reported now: gone with its processes.
                entries[node] = nil
            case nil where entry.stopping:
                // Handed out, stopped before the machine said it runs: stop it should it start.
                orders.stops.append(node)
            case nil:
                if let launch = entry.launch {
                    orders.launches.append(launch)
                    entry.handedOut = true
                    entries[node] = entry
                }
            }
        }
        return orders
    }

    /// A machine that left (silent, or its join token revoked): its nodes are gone with it.
    public mutating func forget(machine: String) {
        entries = entries.filter { $0.value.machine != machine }
    }
}

/// Several brokers share one ledger through their database: it is stored as JSON.
extension PoolMachineLedger: Codable where Launch: Codable {}
extension PoolMachineLedger.Entry: Codable where Launch: Codable {}
