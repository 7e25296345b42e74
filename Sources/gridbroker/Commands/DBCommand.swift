import ArgumentParser
import Store

/// `gridbroker db backup PATH` and `gridbroker db check`: the database file, on the host, while
/// the daemon runs or not.
struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Back up or check the database (on the daemon's host).",
        subcommands: [Backup.self, Check.self])

    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "backup",
            abstract: "Copy the database to a new file with SQLite's online backup (safe while the daemon runs).")

        @OptionGroup var location: DatabaseOption
        @Argument(help: "The new file.") var destination: String

        func run() throws {
            let source = try location.target(prepare: false).sqlitePath(for: "db backup")
            try CommandFailure.reporting { try DatabaseMaintenance.backup(from: source, to: destination) }
            print("\(source): backed up to \(destination)")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Run SQLite's integrity and foreign key checks; exit non-zero on any problem.")

        @OptionGroup var location: DatabaseOption

        func run() throws {
            let path = try location.target(prepare: false).sqlitePath(for: "db check")
            let problems = try CommandFailure.reporting { try DatabaseMaintenance.problems(at: path) }
            guard problems.isEmpty else {
                for problem in problems { print(problem) }
                throw CommandFailure("\(path): \(problems.count) problem(s) found")
            }
            print("\(path): ok")
        }
    }
}
