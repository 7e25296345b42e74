import Hummingbird

/// Refuses a request that announces a body over ``maximumBytes`` with a 413 before any route reads
/// it. Bodies sent without a length are held to the same limit (or a route's smaller one) by the
/// routes that read them.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    /// 1 MiB: no request of the API comes near it.
    static var maximumBytes: Int { 1 << 20 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > Self.maximumBytes {
            throw ProblemDetails(
                status: .contentTooLarge, detail: "the body is \(length) bytes; the limit is \(Self.maximumBytes)")
        }
        return try await next(request, context)
    }
}
