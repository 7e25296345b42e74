import Foundation
import GRDB

/// An API token as stored: never the token itself, only its SHA-256 (hex), so a copy of the
/// database does not let anyone call the API.
public struct APITokenRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "api_token"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var id: String
    /// The team a member token acts for; nil for admin tokens.
    public var teamId: String?
    public var role: TokenRole
    /// What the operator called it ("ci", "alice's laptop").
    public var name: String
    public var tokenHash: String
    public var createdAt: Date
    /// When a request last used it, to within a minute (the broker writes it no more often).
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(id: String, teamId: String?, role: TokenRole, name: String, tokenHash: String, createdAt: Date) {
        self.id = id
        self.teamId = teamId
        self.role = role
        self.name = name
        self.tokenHash = tokenHash
        self.createdAt = createdAt
        self.lastUsedAt = nil
        self.revokedAt = nil
    }

    public var isRevoked: Bool { revokedAt != nil }
}
