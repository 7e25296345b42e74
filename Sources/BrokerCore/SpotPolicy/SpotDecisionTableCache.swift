import Synchronization

/// The decision tables solved in this process, by what they are a pure function of: the daemon
/// decodes a job's policy at every scheduler pass, and solving its table again each time would
/// cost tens of milliseconds. Bounded: the oldest table goes first.
final class SpotDecisionTableCache: Sendable {
    /// What a table is solved from.
    struct Key: Hashable, Sendable {
        var job: SpotJob
        var history: SpotHistory
        var prices: SpotPrices
    }

    static let shared = SpotDecisionTableCache(capacity: 64)

    private let capacity: Int
    private let state = Mutex<(tables: [Key: SpotDecisionTable], order: [Key])>(([:], []))

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The table of `key`, solved with `solve` unless cached (solved outside the lock: two callers
    /// may solve the same table at once, and get equal tables).
    func table(for key: Key, solve: () -> SpotDecisionTable) -> SpotDecisionTable {
        if let table = state.withLock({ $0.tables[key] }) { return table }
        let table = solve()
        state.withLock { state in
            guard state.tables[key] == nil else { return }
            state.tables[key] = table
            state.order.append(key)
            if state.order.count > capacity { state.tables[state.order.removeFirst()] = nil }
        }
        return table
    }
}
