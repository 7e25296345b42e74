import ArgumentParser
import Broker

/// The `--config PATH` option shared by the commands that read the daemon's config.
struct ConfigOption: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The YAML config file (default: \(ConfigurationLoader.defaultPath) if it exists, else the embedded default).",
            valueName: "path"))
    var config: String?

    /// The validated configuration, environment overrides applied.
    func load() throws -> BrokerConfiguration {
        try CommandFailure.reporting { try ConfigurationLoader().load(path: config) }
    }
}
