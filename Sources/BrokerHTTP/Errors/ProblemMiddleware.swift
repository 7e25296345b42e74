import Hummingbird
import Logging
import Store

/// Makes every error answer `application/problem+json`: Hummingbird's own errors (unknown route,
/// bad method) keep their status; anything unexpected becomes a 500 whose body says nothing
/// internal, and is logged.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let problem as ProblemDetails {
            throw problem
        } catch let error as StoreError {
            throw ProblemDetails(status: Self.status(of: error), detail: error.description)
        } catch let error as HTTPError {
            throw ProblemDetails(status: error.status, detail: error.body)
        } catch let error as any HTTPResponseError {
            throw ProblemDetails(status: error.status)
        } catch {
            context.logger.error(
                "unhandled error",
                metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: type(of: error)))"])
            throw ProblemDetails(status: .internalServerError, detail: "the server failed to answer; see its log")
        }
    }

    /// The store's refusals that are the request's fault; anything else is the server's.
    static func status(of error: StoreError) -> HTTPResponse.Status {
        switch error {
        case .notFound: .notFound
        case .conflict, .invalidTransition: .conflict
        default: .internalServerError
        }
    }
}
