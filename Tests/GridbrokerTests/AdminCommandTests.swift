import Foundation
import Testing

/// The operator's commands against a running daemon, as processes: bootstrap, teams, tokens,
/// the CLI's ways of finding server and token, its errors, and the database tools.
@Suite("gridbroker admin and db commands against a running daemon", .serialized)
struct AdminCommandTests {
    private let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-admin-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    private func run(_ arguments: [String], _ environment: [String: String] = [:]) async throws
        -> (status: Int32, output: String)
    {
        try await GridbrokerProcess.run(arguments, in: folder, environment: environment)
    }

    /// Writes the CLI config file the processes of this test find (`$XDG_CONFIG_HOME/gridbroker/cli.yaml`).
    private func writeCLIConfig(url: String, token: String) throws {
        let directory = folder.appendingPathComponent("xdg-config/gridbroker")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "# written by the test\nurl: \(url)\ntoken: \"\(token)\"\n".write(
            to: directory.appendingPathComponent("cli.yaml"), atomically: true, encoding: .utf8)
    }

    @Test("db backup and db check on a PostgreSQL database say what to use instead, without the password")
    func fileCommandsOnPostgres() async throws {
        let postgres = ["GRIDBROKER_DATABASE_URL": "postgres://broker:hunter2@127.0.0.1:9/gridbroker"]
        for command in [["db", "backup", folder.appendingPathComponent("copy.sqlite").path], ["db", "check"]] {
            let refused = try await run(command, postgres)
            #expect(refused.status != 0)
            #expect(refused.output.contains("the database is PostgreSQL (database.url)"))
            #expect(refused.output.contains("pg_dump") && !refused.output.contains("hunter2"))
        }
    }

    @Test func anOperatorSetsUpATeamWhoseMemberWorksOnlyWithinIt() async throws {
        let config = folder.appendingPathComponent("gridbroker.yaml").path
        try "server: {host: 127.0.0.1, port: 0}\ndata_dir: ./var\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        let admin = try await GridbrokerProcess.bootstrapToken(config: config, in: folder)
        let again = try await run(["admin", "bootstrap", "--config", config])
        #expect(again.status != 0 && again.output.contains("an admin token already exists"))
        #expect(!again.output.contains("gbt_"))

        let daemon = try GridbrokerProcess(
            ["serve", "--config", config], in: folder, environment: ["GRIDBROKER_LOG_LEVEL": "debug"])
        let api = "http://127.0.0.1:\(try await daemon.waitForLog(#"listening on http://127\.0\.0\.1:(\d+)"#))"

        // Flags.
        let created = try await run(
            ["admin", "teams", "create", "vision", "--budget", "500", "--url", api, "--token", admin, "--json"])
        #expect(created.status == 0, "\(created.output)")
        let answer = try JSONSerialization.jsonObject(with: Data(created.output.utf8)) as? [String: Any]
        let team = try #require(answer?["id"] as? String)
        // Environment.
        let asAdmin = ["GRIDBROKER_URL": api, "GRIDBROKER_TOKEN": admin]
        let teams = try await run(["admin", "teams", "list"], asAdmin)
        #expect(teams.output.hasPrefix("ID ") && teams.output.contains("vision") && teams.output.contains("500.000"))
        let issued = try await run(["admin", "tokens", "issue", "alice", "--team", team], asAdmin)
        #expect(issued.status == 0)
        let member = String(try #require(issued.output.firstMatch(of: /gbt_[A-Za-z0-9_-]{43}/)).output)

        // The CLI config file.
        try writeCLIConfig(url: api, token: member)
        let jobs = try await run(["jobs"])
        #expect(jobs.status == 0 && jobs.output.hasPrefix("ID "), "\(jobs.output)")
        let forbidden = try await run(["admin", "teams", "list"])
        #expect(forbidden.status != 0)
        #expect(forbidden.output.split(separator: "\n").count == 1 && forbidden.output.contains("HTTP 403"))
        let badState = try await run(["jobs", "--state", "done"])
        #expect(badState.status != 0 && badState.output.contains("state: unknown state 'done'"))

        let list = try await run(["admin", "tokens", "list", "--team", team], asAdmin)
        #expect(list.output.contains("alice") && !list.output.contains(member) && !list.output.contains(admin))
        let tokenID = try #require(list.output.firstMatch(of: /tok_[0-9A-Z]+/)).output
        #expect(try await run(["admin", "tokens", "revoke", String(tokenID)], asAdmin).status == 0)
        let revoked = try await run(["jobs"])
        #expect(revoked.status != 0 && revoked.output.contains("HTTP 401"))
        let noToken = try await run(
            ["jobs", "--url", api], ["XDG_CONFIG_HOME": folder.appendingPathComponent("none").path])
        #expect(noToken.status != 0 && noToken.output.contains("HTTP 401") && noToken.output.contains("--token"))
        let unreachable = try await run(["jobs", "--url", "http://127.0.0.1:9", "--token", "x"])
        #expect(unreachable.status != 0 && unreachable.output.contains("cannot reach gridbroker at http://127.0.0.1:9"))

        // An online backup while the daemon runs, and its check.
        let copy = folder.appendingPathComponent("backup.sqlite").path
        let backup = try await run(["db", "backup", "--config", config, copy])
        #expect(backup.status == 0, "\(backup.output)")
        let check = try await run(["db", "check", "--database", copy])
        #expect(check.status == 0 && check.output.contains("\(copy): ok"))
        #expect(try await run(["db", "check", "--database", folder.appendingPathComponent("nope").path]).status != 0)

        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        #expect(daemon.log.contains("token_id=tok_"))
        #expect(!daemon.log.contains(admin) && !daemon.log.contains(member))
    }
}
