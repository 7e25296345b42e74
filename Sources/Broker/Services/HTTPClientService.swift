import CurlHTTP
import ServiceLifecycle

/// Owns the daemon's libcurl client: it lives until every service using it has stopped, then
/// its transfer loop is shut down. List it before the pollers in the `ServiceGroup`.
public struct HTTPClientService: Service {
    public let client: CurlHTTPClient

    public init(client: CurlHTTPClient) {
        self.client = client
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await client.shutdown()
    }
}
