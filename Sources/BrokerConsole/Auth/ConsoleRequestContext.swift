import Hummingbird

/// A request context the console can serve from: it carries the user the
/// ``ConsoleAuthMiddleware`` found for the request's session cookie.
public protocol ConsoleRequestContext: RequestContext {
    var consoleUser: ConsoleUser? { get set }
}

extension ConsoleRequestContext {
    /// The signed-in user; the middleware guarantees one on every page but the login page.
    func requireUser() throws -> ConsoleUser {
        guard let consoleUser else { throw HTTPError(.unauthorized) }
        return consoleUser
    }
}
