import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The agent's HTTP/1.1 client (plain or TLS, one connection per exchange), built on SwiftNIO so
/// that the agent needs no libcurl and no Foundation networking: only the C library.
public struct AgentHTTPClient: Sendable {
    /// What a whole exchange may take, connect included.
    public var timeout: TimeAmount
    /// The most an answer may hold.
    public var maxResponseBytes: Int
    private let group: any EventLoopGroup

    public init(timeout: TimeAmount = .seconds(30), maxResponseBytes: Int = 64 << 20) {
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
        group = MultiThreadedEventLoopGroup.singleton
    }

    /// Sends one request to `url` and collects the answer.
    public func send(
        _ method: HTTPMethod, _ url: BrokerURL, headers: [(String, String)] = [], body: [UInt8] = []
    ) async throws(AgentHTTPError) -> AgentHTTPResponse {
        let tls: NIOSSLContext?
        do {
            tls = url.isTLS ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
        } catch {
            throw .failed("TLS cannot be set up: \(error)")
        }
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: url.requestTarget)
        head.headers.add(name: "Host", value: url.hostHeader)
        head.headers.add(name: "User-Agent", value: "gridbroker-agent")
        head.headers.add(name: "Connection", value: "close")
        head.headers.add(name: "Content-Length", value: String(body.count))
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        let request = HTTPExchangeHandler.Request(head: head, body: body, maxResponseBytes: maxResponseBytes)
        let promise = group.next().makePromise(of: AgentHTTPResponse.self)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: tls, serverHostname: url.tlsServerName))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(
                        HTTPExchangeHandler(request: request, promise: promise))
                }
            }
        let deadline = promise.futureResult.eventLoop.scheduleTask(in: timeout) {
            promise.fail(AgentHTTPError.failed("no answer within \(timeout.nanoseconds / 1_000_000_000) s"))
        }
        bootstrap.connect(host: url.host, port: url.port).whenComplete { result in
            switch result {
            case .success(let channel):
                promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
            case .failure(let error):
                promise.fail(AgentHTTPError.failed("cannot connect to \(url.host):\(url.port): \(error)"))
            }
        }
        defer { deadline.cancel() }
        do {
            return try await promise.futureResult.get()
        } catch let error as AgentHTTPError {
            throw error
        } catch {
            throw .failed("\(error)")
        }
    }
}

/// Why an exchange brought no answer.
public enum AgentHTTPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No answer, or one that cannot be used.
    case failed(String)
    /// The broker answered, and refused: its status and its own words.
    case refused(status: Int, message: String)

    public var description: String {
        switch self {
        case .failed(let reason): reason
        case .refused(_, let message): message
        }
    }
}

/// An answer: its status, headers (names in lower case) and body.
public struct AgentHTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public var isSuccess: Bool { (200..<300).contains(status) }

    public func header(_ name: String) -> String? {
        let name = name.lowercased()
        return headers.first { $0.name == name }?.value
    }
}
