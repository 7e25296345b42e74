import Logging
import ServiceLifecycle

/// Writes the API tokens' last uses that ``TokenAuthenticator`` noted, every few seconds and once
/// more at shutdown.
public struct TokenUseRecorder: Service {
    private let authenticator: TokenAuthenticator
    private let interval: Duration
    private let logger: Logger

    public init(authenticator: TokenAuthenticator, interval: Duration = .seconds(5), logger: Logger) {
        self.authenticator = authenticator
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                await record()
            }
        }
        await record()
    }

    private func record() async {
        do {
            try await authenticator.recordUses()
        } catch {
            logger.warning("could not record the API tokens' last uses", metadata: ["error": "\(error)"])
        }
    }
}
