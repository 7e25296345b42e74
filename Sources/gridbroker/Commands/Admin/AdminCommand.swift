import ArgumentParser

/// `gridbroker admin ...`: the operators' commands. All but `bootstrap` call the daemon's
/// `/v1/admin` API with an admin token.
struct AdminCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Operate the broker: providers, owner pools, teams, tokens, jobs, nodes.",
        subcommands: [
            AdminBootstrapCommand.self, AdminProvidersCommand.self, AdminPoolsCommand.self, AdminTeamsCommand.self,
            AdminTokensCommand.self, AdminJobsCommand.self, AdminNodesCommand.self,
        ])
}
