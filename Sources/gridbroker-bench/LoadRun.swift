import Foundation

/// One kind of request under load: a `wrk` process (Debian's) with a Lua script of ours that
/// sends the kind's requests over `connections` kept-alive connections and prints, at the end,
/// the counts and latency percentiles as one JSON object.
struct LoadRun {
    var kind: String
    var connections: Int
    /// Paths cycled through, one request after another.
    var paths: [String]
    var method = "GET"
    var body: String?

    /// The Lua script: the token goes in a header, never in a URL.
    func script(token: String) -> String {
        let paths = self.paths.map { "\"\($0)\"" }.joined(separator: ", ")
        let body = body.map { "[==[\($0)]==]" } ?? "nil"
        return """
            local paths = {\(paths)}
            local i = 0
            local headers = {["Authorization"] = "Bearer \(token)", ["Content-Type"] = "application/json"}
            local body = \(body)
            request = function()
              i = i % #paths + 1
              return wrk.format("\(method)", paths[i], headers, body)
            end
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format(
                '{"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d, ' ..
                '"p50_us": %d, "p99_us": %d, "max_us": %d}\\n',
                summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
                latency:percentile(50), latency:percentile(99), latency.max))
            end
            """
    }

    /// Starts `wrk` against `baseURL` for `seconds`.
    func start(baseURL: String, token: String, seconds: Int, folder: URL) throws -> ChildProcess {
        let scriptFile = folder.appendingPathComponent("\(kind).lua")
        try script(token: token).write(to: scriptFile, atomically: true, encoding: .utf8)
        return try ChildProcess(
            "wrk \(kind)", executable: "/usr/bin/wrk",
            arguments: [
                "-t1", "-c\(connections)", "-d\(seconds)s", "--timeout", "10s", "-s", scriptFile.path, baseURL,
            ],
            directory: folder, log: folder.appendingPathComponent("wrk-\(kind).log"))
    }

    /// The kind's figures from what its `wrk` printed, and how many requests it sent.
    static func result(kind: String, output: String) throws -> (
        figures: JSONLine, requests: Int, requestsPerSecond: Double
    ) {
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let requests = object["requests"] as? Int, let duration = object["duration_us"] as? Int, duration > 0
        else { throw BenchError("wrk \(kind) printed no result: \(output)") }
        let milliseconds = { (key: String) -> JSONLine.Value in .number(Double(object[key] as? Int ?? 0) / 1000) }
        let perSecond = Double(requests) / (Double(duration) / 1_000_000)
        let figures = JSONLine([
            ("requests", .int(requests)),
            ("requests_per_s", .number(perSecond)),
            ("p50_ms", milliseconds("p50_us")), ("p99_ms", milliseconds("p99_us")), ("max_ms", milliseconds("max_us")),
            ("non_2xx", .int(object["non_2xx"] as? Int ?? -1)),
            ("socket_errors", .int(object["socket_errors"] as? Int ?? -1)),
        ])
        return (figures, requests, perSecond)
    }
}
