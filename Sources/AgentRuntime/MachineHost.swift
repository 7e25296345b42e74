import Logging
import NodeAgent

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An owner's machine in a pool, from the machine's side: it registers with the pool's join token
/// and heartbeats with the machine token it gets back, so that its offer stays in the market. It
/// only ever calls the broker, so it works from behind NAT. SIGTERM or SIGINT stops it; a broker
/// that no longer knows the machine (its join token revoked, its pool deleted) stops it too.
public struct MachineHost: Sendable {
    let broker: String
    let joinToken: String
    let registration: MachineRegistrationRequest
    let client: BrokerClient
    let logger: Logger

    public init(
        broker: String, joinToken: String, registration: MachineRegistrationRequest,
        client: BrokerClient = BrokerClient(), logger: Logger
    ) {
        self.broker = broker
        self.joinToken = joinToken
        self.registration = registration
        self.client = client
        self.logger = logger
    }

    /// Why the machine stopped.
    public enum Ending: Sendable, Equatable {
        /// SIGTERM or SIGINT.
        case asked
        /// The broker refused the machine's token: the message says why.
        case refused(String)
    }

    /// Registers, then heartbeats until asked to stop or refused. A broker that cannot be reached
    /// is tried again (after 1 s, doubling up to the interval); a refused registration throws.
    public func run() async throws(AgentHTTPError) -> Ending {
        let registered = try await register()
        logger.notice(
            "registered as \(registered.offer) (machine \(registered.machine)); heartbeat every \(registered.heartbeatIntervalSeconds) s"
        )
        let interval = Duration.seconds(max(1, registered.heartbeatIntervalSeconds))
        let (stops, stop) = AsyncStream.makeStream(of: Void.self)
        let signals = TerminationSignals { stop.yield() }
        defer { signals.cancel() }
        return await withTaskGroup(of: Ending.self) { group in
            group.addTask {
                for await _ in stops { return .asked }
                return .asked
            }
            group.addTask { await heartbeats(token: registered.token, interval: interval) }
            let ending = await group.next() ?? .asked
            group.cancelAll()
            stop.finish()
            return ending
        }
    }

    private func register() async throws(AgentHTTPError) -> MachineRegistrationAnswer {
        let body = try await client.call(
            .POST, "/v1/hosts/register", broker: broker, token: joinToken, json: registration)
        guard let answer = try? JSONDecoder().decode(MachineRegistrationAnswer.self, from: Data(body)) else {
            throw .failed("the broker's answer to the registration is not one")
        }
        return answer
    }

    /// Heartbeats every `interval` until cancelled or refused.
    private func heartbeats(token: String, interval: Duration) async -> Ending {
        var wait = interval
        while !Task.isCancelled {
            do {
                _ = try await client.call(
                    .POST, "/v1/hosts/heartbeat", broker: broker, token: token, json: String?.none)
                wait = interval
            } catch {
                if case .refused(let status, let message) = error, status == 401 || status == 403 {
                    logger.error("the broker no longer knows this machine: \(message)")
                    return .refused(message)
                }
                logger.warning("heartbeat failed: \(error); trying again")
                wait = min(max(.seconds(1), wait == interval ? .seconds(1) : wait * 2), interval)
            }
            try? await Task.sleep(for: wait)
        }
        return .asked
    }
}
