import Logging
import ServiceLifecycle

/// Keeps the owner pools' machines in the market: every few seconds (a quarter of the machine
/// timeout, at most 5 s), so a silent machine's offer goes within the timeout and a little more.
public struct PoolOfferService: Service {
    private let machines: PoolMachines
    private let logger: Logger

    public init(machines: PoolMachines, logger: Logger) {
        self.machines = machines
        self.logger = logger
    }

    /// Between refreshes.
    var interval: Duration { min(machines.machineTimeout / 4, .seconds(5)) }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await machines.refreshOffers()
                } catch {
                    logger.error("could not refresh the owner pools' offers", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
