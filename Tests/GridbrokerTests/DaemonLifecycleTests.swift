import Broker
import CurlHTTP
import Foundation
import GRDB
import NodeAgent
import Store
import Testing

/// The real binary, started and stopped the way an operator would.
@Suite("gridbroker serve, migrate and --version as a process", .serialized)
struct DaemonLifecycleTests {
    private let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-e2e-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    private var databasePath: String { folder.appendingPathComponent("var/gridbroker.sqlite").path }

    /// A config listening on any free port, data in the test's folder.
    private func writeConfig(_ text: String = "server: {host: 127.0.0.1, port: 0}\ndata_dir: ./var\n") throws -> String
    {
        let path = folder.appendingPathComponent("gridbroker.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func servesHealthThenStopsCleanlyOnSignal(_ signal: Int32) async throws {
        let daemon = try GridbrokerProcess(["serve", "--config", try writeConfig()], in: folder)
        let port = try await daemon.waitForLog(#"listening on http://127\.0\.0\.1:(\d+)"#)

        let client = CurlHTTPClient()
        let health = try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/healthz"))
        #expect(health.status == 200)
        #expect(String(decoding: health.body, as: UTF8.self) == #"{"status":"ok"}"#)
        let ready = try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/readyz"))
        #expect(ready.status == 200)
        await client.shutdown()

        daemon.signal(signal)
        #expect(try await daemon.waitForExit() == 0)
        #expect(daemon.log.contains("database closed"))

        // The database is intact, fully migrated, and its write-ahead log was folded back in.
        let database = try BrokerDatabase.open(at: databasePath, migrate: false)
        let integrity = try await database.pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
        try database.close()
        let walSize = (try? FileManager.default.attributesOfItem(atPath: databasePath + "-wal")[.size] as? Int) ?? 0
        #expect(walSize == 0)
    }

    @Test func badConfigExitsNonZeroWithOneLineAndStartsNothing() async throws {
        let config = try writeConfig("server: {host: 127.0.0.1, port: 99999}\ndata_dir: ./var\n")
        let daemon = try GridbrokerProcess(["serve", "--config", config], in: folder)
        #expect(try await daemon.waitForExit() != 0)
        let lines = daemon.log.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("\(config):1: server.port: 99999 is out of range 0...65535") == true)
        #expect(!FileManager.default.fileExists(atPath: databasePath))
    }

    @Test func unwritableDataDirIsReportedInOneLine() async throws {
        let blocker = folder.appendingPathComponent("blocker")
        _ = FileManager.default.createFile(atPath: blocker.path, contents: Data())
        let config = try writeConfig("server: {port: 0}\ndata_dir: ./blocker/var\n")
        let daemon = try GridbrokerProcess(["serve", "--config", config], in: folder)
        #expect(try await daemon.waitForExit() != 0)
        let lines = daemon.log.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("data_dir ./blocker/var: cannot be created") == true)
    }

    @Test func migrateCreatesThenReportsUpToDateThenRefusesANewerDatabase() async throws {
        let config = try writeConfig()
        let first = try GridbrokerProcess(["migrate", "--config", config], in: folder)
        #expect(try await first.waitForExit() == 0)
        #expect(first.log.contains("applied"))

        let second = try GridbrokerProcess(["migrate", "--config", config], in: folder)
        #expect(try await second.waitForExit() == 0)
        #expect(second.log.contains("up to date"))

        let database = try BrokerDatabase.open(at: databasePath)
        try await database.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('2099-01-01 from the future')")
        }
        try database.close()
        let third = try GridbrokerProcess(["serve", "--config", config], in: folder)
        #expect(try await third.waitForExit() != 0)
        #expect(third.log.contains("written by a newer gridbroker"))
    }

    @Test func versionIsPrinted() async throws {
        let process = try GridbrokerProcess(["--version"], in: folder)
        #expect(try await process.waitForExit() == 0)
        #expect(process.log.trimmingCharacters(in: .whitespacesAndNewlines) == BrokerVersion.current)
    }
}
