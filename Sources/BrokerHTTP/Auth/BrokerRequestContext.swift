import BrokerConsole
import Hummingbird

/// The request context of the broker's API: Hummingbird's core storage plus the identity the
/// ``TokenAuthMiddleware`` established (nil on the public routes), and on the web console's
/// pages the user its session cookie stands for.
public struct BrokerRequestContext: ConsoleRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    public var consoleUser: ConsoleUser?

    public init(source: Source) {
        coreContext = .init(source: source)
        identity = nil
        consoleUser = nil
    }

    /// The authenticated identity; the middleware guarantees one on every non-public route.
    func requireIdentity() throws -> Identity {
        guard let identity else { throw TokenAuthMiddleware.unauthorized }
        return identity
    }
}
