import ArgumentParser
import Broker
import Store

/// Which database a host-side command opens: `--database PATH` (a SQLite file), else the config's
/// (`database.url`, or `<data_dir>/gridbroker.sqlite`).
struct DatabaseOption: ParsableArguments {
    @OptionGroup var options: ConfigOption

    @Option(
        name: .long, help: ArgumentHelp("The database file (default: <data_dir>/gridbroker.sqlite).", valueName: "path")
    )
    var database: String?

    /// The database; with `prepare`, the config's data directory is created if needed.
    func target(prepare: Bool) throws -> DatabaseTarget {
        if let database { return .sqlite(path: database) }
        let configuration = try options.load()
        if prepare { try CommandFailure.reporting { try DataDirectory.prepare(configuration.dataDirectory) } }
        return DatabaseTarget(configuration)
    }
}
