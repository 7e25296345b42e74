import Hummingbird

/// The request context of the broker's API: Hummingbird's core storage plus the identity the
/// ``TokenAuthMiddleware`` established (nil on the public routes).
public struct BrokerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?

    public init(source: Source) {
        coreContext = .init(source: source)
        identity = nil
    }

    /// The authenticated identity; the middleware guarantees one on every non-public route.
    func requireIdentity() throws -> Identity {
        guard let identity else { throw TokenAuthMiddleware.unauthorized }
        return identity
    }
}
