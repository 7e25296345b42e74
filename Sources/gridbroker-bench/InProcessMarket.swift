import Hummingbird
import Logging
import MarketSim
import ServiceLifecycle

/// A router (the simulated market's, or the broker's API) served on a free loopback port for the
/// length of `body`, then shut down gracefully.
enum InProcessMarket {
    static func serve<T: Sendable>(
        _ simulator: MarketSimulator, _ body: @escaping @Sendable (_ baseURL: String) async throws -> T
    ) async throws -> T {
        try await serve(router: simulator.buildRouter(), body)
    }

    static func serve<T: Sendable, Context: RequestContext>(
        router: Router<Context>, _ body: @escaping @Sendable (_ baseURL: String) async throws -> T
    ) async throws -> T where Context.Source == ApplicationRequestContextSource {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "bench-sim")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            let result = try await body("http://127.0.0.1:\(port)")
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return result
        }
    }
}
