import ArgumentParser
import Broker
import Store

/// Which database file a host-side command opens: `--database PATH`, else the config's
/// `<data_dir>/gridbroker.sqlite`.
struct DatabaseOption: ParsableArguments {
    @OptionGroup var options: ConfigOption

    @Option(
        name: .long, help: ArgumentHelp("The database file (default: <data_dir>/gridbroker.sqlite).", valueName: "path")
    )
    var database: String?

    /// The file's path; with `prepare`, the config's data directory is created if needed.
    func path(prepare: Bool) throws -> String {
        if let database { return database }
        let configuration = try options.load()
        if prepare { try CommandFailure.reporting { try DataDirectory.prepare(configuration.dataDirectory) } }
        return configuration.databasePath
    }
}
