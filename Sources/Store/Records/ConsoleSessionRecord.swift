import Foundation
import GRDB

/// A web console login as stored: the API token it acts for and the SHA-256 of its secret (the
/// cookie's value), never the secret itself.
public struct ConsoleSessionRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "console_session"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var id: String
    public var tokenId: String
    public var secretHash: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(id: String, tokenId: String, secretHash: String, createdAt: Date, expiresAt: Date) {
        self.id = id
        self.tokenId = tokenId
        self.secretHash = secretHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
