import CurlHTTP
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A client that stops sending halfway through a request does not hold its connection for ever.
@Suite("Slow clients against the daemon", .serialized)
struct StalledClientTests {
    @Test func aStalledRequestIsDisconnectedAfterTheIdleTimeoutWhileOthersAreAnswered() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-stalled-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let daemon = try GridbrokerProcess(
            ["serve", "--config", try SimulatedMarketDaemon.config(in: folder, simPort: "9")], in: folder,
            environment: ["GRIDBROKER_SERVER_IDLE_TIMEOUT_S": "1"])
        let port = try #require(UInt16(try await daemon.waitForLog(#"listening on http://127\.0\.0\.1:(\d+)"#)))

        let stalled = try StalledConnection(port: port)
        stalled.send(
            "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{")
        let client = CurlHTTPClient()
        let health = try await client.execute(HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)/healthz"))
        #expect(health.status == 200)
        // The server closes the stalled connection (recv sees the end) long before the 30 s guard.
        #expect(stalled.waitForClose(guardSeconds: 30))
        await client.shutdown()
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}

/// A raw TCP connection to 127.0.0.1 that the test can leave half-written.
private final class StalledConnection {
    private let descriptor: Int32

    init(port: UInt16) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw CocoaError(.fileReadUnknown) }
    }

    func send(_ text: String) {
        _ = text.withCString { Glibc.send(descriptor, $0, strlen($0), 0) }
    }

    /// True when the peer closes the connection within `guardSeconds` (reads until the end).
    func waitForClose(guardSeconds: Int) -> Bool {
        var limit = timeval(tv_sec: guardSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 { return true }
            if count < 0 { return false }
        }
    }

    deinit { close(descriptor) }
}
