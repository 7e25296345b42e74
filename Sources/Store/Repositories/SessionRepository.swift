import Foundation

/// Where the web console's sessions live (their secrets as hashes).
public protocol SessionRepository: Sendable {
    /// Stores a new session, and forgets the sessions that expired before its creation.
    func create(_ session: ConsoleSessionRecord) async throws
    /// The session whose secret hashes to `secretHash` with the API token it acts for, provided the
    /// session has not expired at `date` and the token is not revoked.
    func authenticate(secretHash: String, at date: Date) async throws -> (
        session: ConsoleSessionRecord, token: APITokenRecord
    )?
    /// Ends a session (log-out); an unknown one is already ended.
    func delete(secretHash: String) async throws
}
