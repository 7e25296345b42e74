import Foundation
import GRDB

/// A configured provider and the health of its pricing API as the poller saw it.
public struct ProviderRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "provider"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// Whether calls go through: `closed` (normal), `open` (backing off after failures),
    /// `half_open` (the next poll is a trial).
    public enum CircuitState: String, Sendable, Codable, DatabaseValueConvertible {
        case closed, open
        case halfOpen = "half_open"
    }

    public var id: String
    public var kind: String
    public var baseUrl: String
    public var enabled: Bool
    public var pollIntervalS: Int
    public var offerExpiryS: Int
    public var lastPollAt: Date?
    public var lastSuccessAt: Date?
    public var consecutiveFailures: Int
    /// The last failure, for operators; never contains credentials.
    public var lastError: String?
    public var lastPollDurationMs: Int?
    public var circuitState: CircuitState
    public var createdAt: Date

    public init(
        id: String, kind: String, baseUrl: String, enabled: Bool, pollIntervalS: Int, offerExpiryS: Int, createdAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.baseUrl = baseUrl
        self.enabled = enabled
        self.pollIntervalS = pollIntervalS
        self.offerExpiryS = offerExpiryS
        self.lastPollAt = nil
        self.lastSuccessAt = nil
        self.consecutiveFailures = 0
        self.lastError = nil
        self.lastPollDurationMs = nil
        self.circuitState = .closed
        self.createdAt = createdAt
    }
}
