import BrokerCore

extension Set where Element == NodeState {
    /// The states as an SQL list, `('booting', 'running')`, in declaration order: for the few
    /// queries written in SQL (the rest filter with ``rawValues``).
    var sqlList: String {
        "(" + NodeState.allCases.filter(contains).map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
    }

    /// The raw values, for a query's `contains` filter.
    var rawValues: [String] { NodeState.allCases.filter(contains).map(\.rawValue) }
}
