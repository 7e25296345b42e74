/// The daemon's pollers by provider id, for "poll now".
public struct PollerDirectory: Sendable {
    private let pollers: [String: ProviderPoller]

    public init(_ pollers: [ProviderPoller]) {
        self.pollers = Dictionary(pollers.map { ($0.providerID, $0) }) { first, _ in first }
    }

    public subscript(providerID: String) -> ProviderPoller? { pollers[providerID] }
}
