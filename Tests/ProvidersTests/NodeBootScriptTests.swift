import BrokerCore
import Crypto
import Foundation
import Providers
import Testing

/// The scripts a launch hands a provider, run for real by `/bin/sh` against a small broker that
/// serves the agent only to the node's token: fetched with curl, wget or python3 (whichever the
/// machine has), checked against the announced SHA-256, started, and the token never on a command
/// line.
@Suite("Node boot scripts, run", .serialized)
struct NodeBootScriptTests {
    private let folder: URL
    /// A stand-in agent: a script that records how it was started.
    private let agent = Data("#!/bin/sh\necho \"$@\" > \"$GRIDBROKER_HOME/agent-ran\"\n".utf8)

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-boot-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    private var sha256: String { SHA256.hash(data: agent).map { String(format: "%02x", $0) }.joined() }

    private func request(broker: String, sha256: String? = nil) -> LaunchRequest {
        var request = Provisioning.request(provider: "aws", native: "g5.xlarge:us-east-1:on_demand")
        request.agent = AgentDelivery(brokerURL: broker, sha256: sha256 ?? self.sha256, heartbeatSeconds: 2)
        return request
    }

    @Test(
        "a virtual machine's boot script writes the spec root-only, fetches and checks the agent, and starts it",
        arguments: ["curl", "wget", "python3"])
    func virtualMachine(tool: String) async throws {
        try await withBroker { broker in
            let home = folder.appendingPathComponent("vm-\(tool)")
            let result = try run(
                ["/bin/sh", "-c", NodeBoot.virtualMachineScript(request(broker: broker))], home: home, tool: tool)
            #expect(result.status == 0, "\(result.output)")
            let started = try await eventually {
                FileManager.default.contents(atPath: home.appendingPathComponent("agent-ran").path)
            }
            #expect(String(decoding: started, as: UTF8.self).hasPrefix("run --spec \(home.path)/node.json --work-dir"))
            let spec = home.appendingPathComponent("node.json").path
            let attributes = try FileManager.default.attributesOfItem(atPath: spec)
            #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o077 } == 0, "only its owner reads the spec")
            let json =
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: spec))) as? [String: Any]
            #expect(json?["token"] as? String == Provisioning.agentToken)
            #expect(json?["interval_s"] as? Double == 2)
            try expectTokenNeverOnACommandLine(home: home)
        }
    }

    @Test(
        "a container's command fetches the agent the same way and runs the job's command under it",
        arguments: ["curl", "python3"])
    func container(tool: String) async throws {
        try await withBroker { broker in
            let home = folder.appendingPathComponent("container-\(tool)")
            let request = request(broker: broker)
            let result = try run(
                NodeBoot.containerCommand(request), home: home, tool: tool,
                environment: NodeBoot.containerEnvironment(request))
            #expect(result.status == 0, "\(result.output)")
            let ran = try String(contentsOf: home.appendingPathComponent("agent-ran"), encoding: .utf8)
            #expect(ran == "run --work-dir \(home.path)/work -- torchrun train.py --note it's\n")
            try expectTokenNeverOnACommandLine(home: home)
        }
    }

    @Test("an agent whose SHA-256 is not the announced one is never started")
    func wrongDigest() async throws {
        try await withBroker { broker in
            let home = folder.appendingPathComponent("tampered")
            let script = NodeBoot.virtualMachineScript(
                request(broker: broker, sha256: String(repeating: "0", count: 64)))
            let result = try run(["/bin/sh", "-c", script], home: home, tool: "curl")
            #expect(result.status != 0)
            #expect(result.output.contains("is not the one the broker announced (SHA-256)"))
            #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("gridbroker-agent").path))
        }
    }

    @Test("a broker refusing the token stops the script with a clear line")
    func refused() async throws {
        try await withBroker { broker in
            let home = folder.appendingPathComponent("refused")
            var request = request(broker: broker)
            request.agentToken = "gbn_not-this-node"
            let result = try run(["/bin/sh", "-c", NodeBoot.virtualMachineScript(request)], home: home, tool: "curl")
            #expect(result.status != 0)
            #expect(result.output.contains("cannot fetch the node agent"))
        }
    }

    // MARK: Support

    /// Every fetcher records its arguments: the token must be in none.
    private func expectTokenNeverOnACommandLine(home: URL) throws {
        let recorded = try String(contentsOf: home.appendingPathComponent("argv.log"), encoding: .utf8)
        #expect(!recorded.isEmpty)
        #expect(!recorded.contains(Provisioning.agentToken))
    }

    /// Runs `words` with a `PATH` of the script's basic tools and only `tool` to fetch with (each
    /// fetcher wrapped to record its arguments), `GRIDBROKER_HOME` at `home`.
    private func run(_ words: [String], home: URL, tool: String, environment: [String: String] = [:]) throws
        -> (status: Int32, output: String)
    {
        let bin = home.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let basics = ["mkdir", "cat", "chmod", "mv", "rm", "cut", "setsid", "nohup", "sh", "env"]
        for name in basics + (tool == "python3" ? [] : ["sha256sum"]) {
            try FileManager.default.createSymbolicLink(
                atPath: bin.appendingPathComponent(name).path, withDestinationPath: try Self.which(name))
        }
        let real = tool == "python3" ? try Self.realPython() : try Self.which(tool)
        let wrapper = "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"\(home.path)/argv.log\"\nexec \"\(real)\" \"$@\"\n"
        try wrapper.write(to: bin.appendingPathComponent(tool), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o755], ofItemAtPath: bin.appendingPathComponent(tool).path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: words[0] == "sh" ? "/bin/sh" : words[0])
        process.arguments = Array(words.dropFirst())
        process.environment = environment.merging(["PATH": bin.path, "GRIDBROKER_HOME": home.path, "HOME": home.path]) {
            $1
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    private static func which(_ name: String) throws -> String {
        for folder in ["/usr/bin", "/bin", "/usr/local/bin"]
        where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
            return "\(folder)/\(name)"
        }
        throw Missing(what: name)
    }

    /// The Python interpreter itself (not a version manager's shim, which needs its own PATH).
    private static func realPython() throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys; print(sys.executable)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let path = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        process.waitUntilExit()
        guard !path.isEmpty else { throw Missing(what: "python3") }
        return path
    }

    struct Missing: Error {
        var what: String
    }

    private func eventually<T>(_ condition: () throws -> T?) async throws -> T {
        for _ in 0..<200 {
            if let value = try condition() { return value }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Missing(what: "the agent to start")
    }

    /// A broker (Python's http.server) that serves the agent at /v1/agent/download to the test
    /// node's token only, while `body` runs with its URL.
    private func withBroker(_ body: (String) async throws -> Void) async throws {
        let agentPath = folder.appendingPathComponent("agent.bin")
        try agent.write(to: agentPath)
        let server = """
            import http.server, sys
            class Broker(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    if self.path != "/v1/agent/download" or self.headers.get("Authorization") != "Bearer \(Provisioning.agentToken)":
                        self.send_response(401); self.end_headers(); return
                    data = open(sys.argv[1], "rb").read()
                    self.send_response(200); self.send_header("Content-Length", str(len(data))); self.end_headers()
                    self.wfile.write(data)
                def log_message(self, *args):
                    pass
            httpd = http.server.HTTPServer(("127.0.0.1", 0), Broker)
            print(httpd.server_address[1], flush=True)
            httpd.serve_forever()
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.realPython())
        process.arguments = ["-c", server, agentPath.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        // SIGKILL: a test runner may hand its children SIGTERM ignored.
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        var port = ""
        while let byte = try pipe.fileHandleForReading.read(upToCount: 1), let character = byte.first, character != 10 {
            port.append(Character(UnicodeScalar(character)))
        }
        try await body("http://127.0.0.1:\(port)")
    }
}
