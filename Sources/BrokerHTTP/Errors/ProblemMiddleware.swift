import Hummingbird
import Logging
import Store

/// Makes every error answer `application/problem+json`: Hummingbird's own errors (unknown route,
/// bad method) keep their status; anything unexpected becomes a 500 whose body says nothing
/// internal, and is logged. Errors leave it as answers, so the middleware around it (metrics)
/// sees every status with its latency.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            return try problem(for: error, request: request, context: context).response(from: request, context: context)
        }
    }

    private func problem(for error: any Error, request: Request, context: Context) -> ProblemDetails {
        switch error {
        case let problem as ProblemDetails:
            return problem
        case let error as StoreError:
            return ProblemDetails(status: Self.status(of: error), detail: error.description)
        case let error as HTTPError:
            return ProblemDetails(status: error.status, detail: error.body)
        case let error as any HTTPResponseError:
            return ProblemDetails(status: error.status)
        default:
            context.logger.error(
                "unhandled error",
                metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: type(of: error)))"])
            return ProblemDetails(status: .internalServerError, detail: "the server failed to answer; see its log")
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
