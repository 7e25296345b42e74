import CurlHTTP
import Foundation
import Testing

/// What the end-to-end suites share: the repository's config pointed at a simulated market,
/// JSON calls to the daemon and the simulator, and waiting for a condition with a deadline.
enum SimulatedMarketDaemon {
    /// Writes the repository's `config/gridbroker.yaml` into `folder` with the simulated market on
    /// `simPort` and the API on `apiPort` (0: any free port); returns the file's path.
    static func config(in folder: URL, simPort: String, apiPort: Int = 0) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("config/gridbroker.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "127.0.0.1:9400", with: "127.0.0.1:\(simPort)")
            .replacingOccurrences(of: "port: 8080", with: "port: \(apiPort)")
        let path = folder.appendingPathComponent("gridbroker.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A loopback port free now (the kernel's pick), for a daemon whose nodes' agents must be told
    /// its URL: with port 0 it would tell them port 0.
    static func freePort() throws -> Int {
        #if canImport(Glibc)
            let stream = Int32(SOCK_STREAM.rawValue)
        #else
            let stream = SOCK_STREAM
        #endif
        let descriptor = socket(AF_INET, stream, 0)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A JSON call, with `token` as its bearer token; its answer as an object (empty for an empty body).
    static func json(
        _ client: CurlHTTPClient, _ method: HTTPMethod, _ url: String, body: String? = nil, token: String? = nil
    ) async throws -> [String: Any] {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await client.execute(
            HTTPRequest(method: method, url: url, headers: headers, body: body.map { Array($0.utf8) }, retry: .none))
        guard !response.body.isEmpty else { return [:] }
        return try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
    }

    /// Checks `condition` until it yields a value or `timeout` passes (a guard against hanging, not
    /// a timing assertion).
    static func eventually<T>(
        _ what: String, timeout: Duration = .seconds(150), _ condition: () async throws -> T?
    ) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let value = try await condition() { return value }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TimedOut(what: what)
    }

    struct TimedOut: Error, CustomStringConvertible {
        var what: String
        var description: String { "timed out waiting for \(what)" }
    }
}
