import BrokerCore

extension Set where Element == NodeState {
    /// The raw values, in declaration order, for a query's `contains` filter.
    public var rawValues: [String] { NodeState.allCases.filter(contains).map(\.rawValue) }
}
