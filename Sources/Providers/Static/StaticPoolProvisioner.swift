import Synchronization

/// A static pool's machines, handed out in memory: each machine entry has `count` slots, a
/// launch takes a free one and a terminate frees it. No network.
///
/// The allocations the broker's database already knows are passed in at start (`existing`), so a
/// restarted daemon does not hand out a slot that is still in use. Native ids are
/// `<machine name>#<slot>@<node id>`, slots numbered from 0: one allocation of a slot is told apart
/// from the next, so a late terminate of an old one never frees the slot under a new node.
public final class StaticPoolProvisioner: InstanceProvisioner {
    public let providerID: String
    private let machines: [String: StaticMachine]
    private let state: Mutex<[String: [Int: String]]>

    /// - Parameters:
    ///   - existing: instances already allocated (native id and node id); ones that name a machine
    ///     or slot the pool no longer has are dropped.
    public init(providerID: String, machines: [StaticMachine], existing: [ProviderInstance] = []) {
        self.providerID = providerID
        self.machines = Dictionary(machines.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var taken: [String: [Int: String]] = [:]
        for instance in existing where instance.status != .terminated {
            guard let (name, slot, nodeID) = Self.parse(instance.nativeID), let machine = self.machines[name],
                slot < machine.count
            else { continue }
            taken[name, default: [:]][slot] = nodeID
        }
        state = Mutex(taken)
    }

    public func launch(_ request: LaunchRequest, transport: any HTTPTransport) async throws(ProviderError)
        -> ProviderInstance
    {
        let name = try ProvisioningHTTP.nativeOfferID(request, providerID: providerID)
        guard let machine = machines[name] else {
            throw ProvisioningHTTP.unknownOffer(name, provider: "static pool", expected: "a machine of the pool")
        }
        let slot = state.withLock { taken -> Int? in
            if let held = taken[name]?.first(where: { $0.value == request.nodeID }) { return held.key }
            guard let free = (0..<machine.count).first(where: { taken[name]?[$0] == nil }) else { return nil }
            taken[name, default: [:]][free] = request.nodeID
            return free
        }
        guard let slot else {
            throw .insufficientCapacity(scope: .offer, message: "all \(machine.count) of '\(name)' are in use")
        }
        return ProviderInstance(
            nativeID: Self.nativeID(name, slot, request.nodeID), nodeID: request.nodeID, status: .running)
    }

    public func instances(transport: any HTTPTransport) async throws(ProviderError) -> [ProviderInstance] {
        state.withLock { taken in
            taken.sorted { $0.key < $1.key }.flatMap { name, slots in
                slots.sorted { $0.key < $1.key }.map { slot, nodeID in
                    ProviderInstance(nativeID: Self.nativeID(name, slot, nodeID), nodeID: nodeID, status: .running)
                }
            }
        }
    }

    public func terminate(nativeID: String, transport: any HTTPTransport) async throws(ProviderError) {
        guard let (name, slot, nodeID) = Self.parse(nativeID) else {
            throw .misconfigured(
                "'\(nativeID)' is not a static pool instance id (expected '<machine>#<slot>@<node id>')")
        }
        state.withLock { taken in
            if taken[name]?[slot] == nodeID { taken[name]?.removeValue(forKey: slot) }
        }
    }

    private static func nativeID(_ name: String, _ slot: Int, _ nodeID: String) -> String {
        "\(name)#\(slot)@\(nodeID)"
    }

    /// `<machine name>#<slot>@<node id>`, split at the last `@` and then the last `#`.
    private static func parse(_ nativeID: String) -> (name: String, slot: Int, nodeID: String)? {
        guard let at = nativeID.lastIndex(of: "@") else { return nil }
        let allocation = nativeID[..<at]
        let nodeID = String(nativeID[nativeID.index(after: at)...])
        guard !nodeID.isEmpty, let hash = allocation.lastIndex(of: "#"),
            let slot = Int(allocation[allocation.index(after: hash)...]), slot >= 0
        else { return nil }
        return (String(allocation[..<hash]), slot, nodeID)
    }
}
