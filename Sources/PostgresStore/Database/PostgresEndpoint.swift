import Foundation
import NIOSSL
import PostgresNIO
import Store

/// A `postgres://user:password@host:port/database?sslmode=…&schema=…` URL, read into a client
/// configuration. `sslmode` is `disable`, `prefer` (the default) or `require`; `schema` names the
/// schema to work in (`public` when not given); `connect_timeout` is how many seconds a connection
/// (and opening the database) may take, as with libpq (10 when not given).
struct PostgresEndpoint {
    let configuration: PostgresClient.Configuration
    /// The same server, user and database for one connection of its own (opening tries one before
    /// it starts the pool).
    let single: PostgresConnection.Configuration
    /// The URL without its password, for messages and logs.
    let location: String
    let schema: String?

    init(url: String) throws {
        func refuse(_ why: String) -> StoreError {
            StoreError.cannotOpen(path: Self.redacted(url), reason: why)
        }
        guard let parts = URLComponents(string: url), let scheme = parts.scheme else {
            throw refuse("not a URL (expected postgres://user:password@host:port/database)")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw refuse("scheme '\(scheme)' is not postgres:// or postgresql://")
        }
        guard let user = parts.user, !user.isEmpty else { throw refuse("the URL names no user") }
        let database = String(parts.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw refuse("the URL names no database (…/database)") }
        let host = parts.host ?? ""
        let query = Dictionary(
            (parts.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let tls: PostgresClient.Configuration.TLS
        let singleTLS: PostgresConnection.Configuration.TLS
        switch query["sslmode"] ?? "prefer" {
        case "disable":
            (tls, singleTLS) = (.disable, .disable)
        case "prefer":
            tls = .prefer(.makeClientConfiguration())
            singleTLS = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case "require":
            tls = .require(.makeClientConfiguration())
            singleTLS = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case let other: throw refuse("sslmode '\(other)' is not disable, prefer or require")
        }
        guard !host.isEmpty else { throw refuse("the URL names no host") }
        let port = parts.port ?? 5432
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: parts.password, database: database, tls: tls)
        var single = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: parts.password, database: database, tls: singleTLS)
        if let timeout = query["connect_timeout"] {
            guard let seconds = Int(timeout), seconds > 0 else {
                throw refuse("connect_timeout '\(timeout)' is not a whole number of seconds above 0")
            }
            configuration.options.connectTimeout = .seconds(seconds)
            single.options.connectTimeout = .seconds(Int64(seconds))
        }
        self.configuration = configuration
        self.single = single
        location = Self.redacted(url)
        schema = query["schema"]
    }

    /// `url` with its password replaced by `***`.
    static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.password != nil else { return url }
        parts.password = "***"
        return parts.string ?? "postgres://***"
    }
}
