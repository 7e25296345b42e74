import Foundation

/// Where providers and their health live.
public protocol ProviderRepository: Sendable {
    /// Makes the table match the configuration: new providers are added (enabled as configured),
    /// known ones get the configured kind, URL and intervals but keep their health and an
    /// operator's enable/disable. Providers no longer configured are disabled, not deleted: their
    /// offers and history stay readable.
    func sync(_ configured: [ProviderRecord]) async throws
    func providers() async throws -> [ProviderRecord]
    func provider(id: String) async throws -> ProviderRecord?
    /// Turns polling of a provider on or off; returns the updated record.
    func setEnabled(_ enabled: Bool, provider id: String) async throws -> ProviderRecord
    /// Stores the outcome of a poll: health columns only. A success keeps the last error visible.
    func recordPoll(_ outcome: PollOutcome, provider id: String) async throws
}

/// What one poll of a provider ended with.
public struct PollOutcome: Sendable, Equatable {
    public var at: Date
    public var duration: Duration
    /// nil on success; the operator-facing message on failure.
    public var error: String?
    public var consecutiveFailures: Int
    public var circuitState: ProviderRecord.CircuitState

    public init(
        at: Date, duration: Duration, error: String?, consecutiveFailures: Int,
        circuitState: ProviderRecord.CircuitState
    ) {
        self.at = at
        self.duration = duration
        self.error = error
        self.consecutiveFailures = consecutiveFailures
        self.circuitState = circuitState
    }
}
