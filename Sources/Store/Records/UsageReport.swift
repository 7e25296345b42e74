import BrokerCore

/// What a team spent (`GET /v1/usage`), from the nodes' launch-time prices.
public struct UsageReport: Sendable, Equatable {
    public struct JobLine: Sendable, Equatable {
        public var id: String
        public var name: String
        public var state: JobState
        public var spend: Money
        /// The sum of the prices of its nodes that are still billing.
        public var burnPerHour: Money
    }

    public struct ProviderLine: Sendable, Equatable {
        public var provider: String
        public var spend: Money
        /// Nodes launched there.
        public var nodes: Int
    }

    public var teamID: String
    public var teamName: String
    public var budget: Money?
    public var spend: Money
    public var jobs: [JobLine]
    public var providers: [ProviderLine]
}
