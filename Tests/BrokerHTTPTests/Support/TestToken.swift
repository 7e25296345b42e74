import Broker
import BrokerCore
import Hummingbird
import Store

/// API tokens for the in-process router tests, issued through the repository as an operator would.
enum TestToken {
    /// Issues a token in `database` (an admin token unless `team` is given) and returns the
    /// `Authorization` header that carries it.
    static func issue(_ database: BrokerDatabase, team: String? = nil, name: String = "test") async throws
        -> HTTPFields
    {
        let issued = try await APITokens(tokens: SQLiteTokenRepository(database: database), clock: SystemClock())
            .issue(name: name, role: team == nil ? .admin : .member, team: team)
        return headers(issued.token)
    }

    static func headers(_ token: String) -> HTTPFields {
        [.authorization: "Bearer \(token)"]
    }
}
