import Hummingbird

/// Each provider's own shape for the errors faults inject.
enum ProviderErrors {
    /// HTTP 429 in the provider's error shape (the caller adds `Retry-After`).
    static func rateLimited(_ provider: SimulatedProvider) -> ProviderReply {
        switch provider {
        case .vast:
            VastResponder.error(.tooManyRequests, "rate_limited", "API requests too frequent endpoint threshold=2.0")
        case .runpod:
            RunPodResponder.errors("Too many requests, please slow down.", status: .tooManyRequests)
        case .lambda:
            LambdaResponder.error(
                .tooManyRequests, "global/too-many-requests", "Too many requests, please try again later.")
        case .aws:
            AWSResponder.error(
                .tooManyRequests, "RequestLimitExceeded", "Request limit exceeded.", requestID: "sim-rate-limit")
        case .shadeform:
            ShadeformResponder.error(.tooManyRequests, "Too many requests.")
        }
    }

    /// A 5xx in the provider's error shape.
    static func serverError(_ provider: SimulatedProvider) -> ProviderReply {
        switch provider {
        case .vast:
            VastResponder.error(.internalServerError, "server_error", "Internal server error, please try again.")
        case .runpod:
            RunPodResponder.errors("Something went wrong. Please try again later.", status: .internalServerError)
        case .lambda:
            LambdaResponder.error(.internalServerError, "global/unknown", "An unknown error occurred.")
        case .aws:
            AWSResponder.error(
                .serviceUnavailable, "Unavailable", "The server is overloaded and can't handle the request.",
                requestID: "sim-unavailable")
        case .shadeform:
            ShadeformResponder.error(.badGateway, "Upstream cloud provider error.")
        }
    }
}
