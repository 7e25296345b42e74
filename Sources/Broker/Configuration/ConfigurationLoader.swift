import BrokerCore
import Foundation
import Logging
import Providers
import Yams

/// Turns the YAML config (a file, or the embedded default) plus `GRIDBROKER_*` environment
/// overrides into a validated ``BrokerConfiguration``; the first problem found is thrown as a
/// ``ConfigurationError`` that names the source, line and key.
public struct ConfigurationLoader: Sendable {
    /// Where `serve` looks when no `--config` is given.
    public static let defaultPath = "config/gridbroker.yaml"

    private let environment: [String: String]
    private let catalog: GPUCatalog

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, catalog: GPUCatalog = .standard) {
        self.environment = environment
        self.catalog = catalog
    }

    /// Loads `path`; with no path, the default path when that file exists, else the embedded default.
    public func load(path: String?) throws(ConfigurationError) -> BrokerConfiguration {
        let path = path ?? (FileManager.default.fileExists(atPath: Self.defaultPath) ? Self.defaultPath : nil)
        guard let path else {
            return try parse(yaml: EmbeddedConfiguration.yaml, source: EmbeddedConfiguration.sourceName)
        }
        let text = try Self.readText(at: path)
        return try parse(yaml: text, source: path)
    }

    /// Parses and validates YAML text; `source` names it in errors.
    public func parse(yaml: String, source: String) throws(ConfigurationError) -> BrokerConfiguration {
        do {
            let node = try Self.compose(yaml, source: source)
            var root = try ConfigurationReader(source: source, node: node, environment: environment)
            return try read(&root)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(source: source, keyPath: "", message: "\(error)")
        }
    }

    // MARK: Sections

    private func read(_ root: inout ConfigurationReader) throws -> BrokerConfiguration {
        var server = try root.nested("server")
        let serverConfiguration = ServerConfiguration(
            host: try server.string("host", default: "127.0.0.1"),
            port: try server.int("port", default: 8080, range: 0...65535),
            publicURL: try server.value("public_url", expected: "an http:// or https:// URL", parse: Self.httpURL),
            idleTimeoutSeconds: try server.int("idle_timeout_s", default: 30, range: 1...3600),
            rateLimitPerSecond: try server.int("rate_limit_per_s", default: 50, range: 1...100_000),
            rateLimitBurst: try server.int("rate_limit_burst", default: 200, range: 1...1_000_000))
        guard !serverConfiguration.host.isEmpty else { throw server.error("must not be empty", key: "host") }
        try server.finish()

        let dataDirectory = try root.string("data_dir", default: "./var")
        guard !dataDirectory.isEmpty else { throw root.error("must not be empty", key: "data_dir") }
        let logLevel =
            try root.value("log_level", expected: Self.levelNames) { Logger.Level(rawValue: $0.lowercased()) }
            ?? .info

        var providers: [ProviderConfiguration] = []
        for var entry in try root.list("providers") {
            let provider = try readProvider(&entry)
            if providers.contains(where: { $0.id == provider.id }) {
                throw entry.error("duplicate provider id '\(provider.id)'", key: "id")
            }
            providers.append(provider)
        }

        var ownerPools: [OwnerPoolConfiguration] = []
        for var entry in try root.list("owner_pools") {
            let pool = try readOwnerPool(&entry)
            if ownerPools.contains(where: { $0.id == pool.id }) || providers.contains(where: { $0.id == pool.id }) {
                throw entry.error("the id '\(pool.id)' is taken by another provider or owner pool", key: "id")
            }
            ownerPools.append(pool)
        }

        var scheduler = try root.nested("scheduler")
        let schedulerConfiguration = SchedulerConfiguration(
            intervalSeconds: try scheduler.int("interval_s", default: 5, range: 1...3600),
            reconcileIntervalSeconds: try scheduler.int("reconcile_interval_s", default: 30, range: 1...3600),
            accountingIntervalSeconds: try scheduler.int("accounting_interval_s", default: 60, range: 1...3600),
            launchTimeoutSeconds: try scheduler.int("launch_timeout_s", default: 600, range: 10...86_400),
            heartbeatTimeoutSeconds: try scheduler.int("heartbeat_timeout_s", default: 300, range: 10...86_400),
            bootTimeoutSeconds: try scheduler.int("boot_timeout_s", default: 900, range: 1...86_400),
            agentIntervalSeconds: try scheduler.int("agent_interval_s", default: 10, range: 1...3600),
            restartOverheadSeconds: try scheduler.int("restart_overhead_s", default: 720, range: 0...86_400))
        try scheduler.finish()

        var webhooks = try root.nested("webhooks")
        let webhookConfiguration = WebhookConfiguration(
            secretsEnv: try webhooks.stringList("secrets_env", default: ["GRIDBROKER_WEBHOOK_SECRET"]),
            toleranceSeconds: try webhooks.int("tolerance_s", default: 300, range: 1...3600))
        if let bad = webhookConfiguration.secretsEnv.first(where: { !Self.isVariableName($0) }) {
            throw webhooks.error("'\(bad)' is not an environment variable name", key: "secrets_env")
        }
        try webhooks.finish()

        var logs = try root.nested("logs")
        let logsConfiguration = LogsConfiguration(
            maxBytesPerNode: try logs.int("max_bytes_per_node", default: 8 << 20, range: 4096...(1 << 40)))
        try logs.finish()

        var datasets = try root.nested("datasets")
        let datasetsConfiguration = DatasetsConfiguration(manifestDirectory: try datasets.string("manifest_dir"))
        if datasetsConfiguration.manifestDirectory?.isEmpty == true {
            throw datasets.error("must not be empty", key: "manifest_dir")
        }
        try datasets.finish()
        var pools = try root.nested("pools")
        let poolsConfiguration = PoolsConfiguration(
            machineTimeoutSeconds: try pools.int("machine_timeout_s", default: 30, range: 5...86_400))
        try pools.finish()
        var database = try root.nested("database")
        let databaseConfiguration = DatabaseConfiguration(
            url: try database.string("url"), leaseSeconds: try database.int("lease_s", default: 30, range: 2...600))
        if let url = databaseConfiguration.url, !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")) {
            throw database.error("must be a postgres:// URL (leave it out for the embedded SQLite)", key: "url")
        }
        try database.finish()
        try root.finish()

        return BrokerConfiguration(
            server: serverConfiguration, dataDirectory: dataDirectory, logLevel: logLevel,
            providers: providers, ownerPools: ownerPools, scheduler: schedulerConfiguration,
            webhooks: webhookConfiguration,
            logs: logsConfiguration, datasets: datasetsConfiguration, pools: poolsConfiguration,
            database: databaseConfiguration)
    }

    private func readProvider(_ entry: inout ConfigurationReader) throws -> ProviderConfiguration {
        guard let id = try entry.string("id") else { throw entry.error("a provider needs an 'id'") }
        guard ProviderIDSyntax.isValid(id) else {
            throw entry.error("'\(id)' must be \(ProviderIDSyntax.rule)", key: "id")
        }
        let kindNames = ProviderKind.allCases.map(\.rawValue).joined(separator: " | ")
        if try entry.string("kind") == "static" { throw entry.error(Self.staticKindRemoved(id), key: "kind") }
        guard let kind = try entry.value("kind", expected: kindNames, parse: ProviderKind.init(rawValue:)) else {
            throw entry.error("provider '\(id)' needs a 'kind' (\(kindNames))")
        }
        guard let baseURL = try entry.value("base_url", expected: "an http:// or https:// URL", parse: Self.httpURL)
        else {
            throw entry.error("provider '\(id)' of kind \(kind.rawValue) needs a 'base_url'")
        }
        let apiKeyEnv = try entry.value("api_key_env", expected: "an environment variable name") {
            Self.isVariableName($0) ? $0 : nil
        }
        let apiSecretEnv = try entry.value("api_secret_env", expected: "an environment variable name") {
            Self.isVariableName($0) ? $0 : nil
        }
        let sessionTokenEnv = try entry.value("api_session_token_env", expected: "an environment variable name") {
            Self.isVariableName($0) ? $0 : nil
        }
        let regions = try entry.stringList("regions", default: [])
        var limits = try entry.nested("max_instances")
        var maxInstances: [String: Int] = [:]
        for region in limits.keys() {
            guard regions.contains(region) else {
                throw limits.error("'\(region)' is not one of this provider's regions", key: region)
            }
            maxInstances[region] = try limits.int(region, range: 0...100_000)
        }
        let bidMargin = try entry.value("bid_margin", expected: "a fraction of the ask from 0 to 1, such as 0.1") {
            (try? Money(parsing: $0)).flatMap { $0 >= .zero && $0 <= Money(microdollars: 1_000_000) ? $0 : nil }
        }
        var priceTable = try entry.nested("on_demand_prices")
        var onDemandPrices: [String: Money] = [:]
        for instanceType in priceTable.keys() {
            onDemandPrices[instanceType] = try priceTable.value(
                instanceType, expected: "a price in USD such as 98.32", parse: Self.price)
        }
        if kind == .aws && regions.isEmpty {
            throw entry.error("provider '\(id)' of kind aws needs 'regions'")
        }
        if kind != .aws && (!regions.isEmpty || !onDemandPrices.isEmpty || !maxInstances.isEmpty) {
            throw entry.error("only an aws provider takes 'regions', 'on_demand_prices' and 'max_instances'")
        }
        if kind != .aws && sessionTokenEnv != nil {
            throw entry.error("only an aws provider takes 'api_session_token_env'", key: "api_session_token_env")
        }
        if kind != .vast && kind != .runpod && bidMargin != nil {
            throw entry.error(
                "only vast and runpod take 'bid_margin' (they charge the bid; AWS charges the spot price)",
                key: "bid_margin")
        }
        let pollInterval = try entry.int("poll_interval_s", default: 60, range: 1...86_400)
        let expiry = try entry.int("offer_expiry_s", default: 300, range: 1...604_800)
        guard expiry >= pollInterval else {
            throw entry.error(
                "\(expiry) is shorter than poll_interval_s (\(pollInterval)): every offer would expire between polls",
                key: "offer_expiry_s")
        }
        let launchTimeout = try entry.int("launch_timeout_s", range: 10...86_400)
        let sshKeyNames = try entry.stringList("ssh_key_names", default: [])
        if kind != .lambda && !sshKeyNames.isEmpty {
            throw entry.error("only a lambda provider takes 'ssh_key_names'", key: "ssh_key_names")
        }
        let imageID = try entry.string("image_id")
        if kind != .aws && imageID != nil {
            throw entry.error("only an aws provider takes 'image_id' (the AMI its nodes boot)", key: "image_id")
        }
        let enabled = try entry.bool("enabled", default: true)
        try entry.finish()
        return ProviderConfiguration(
            id: id, kind: kind, baseURL: baseURL, apiKeyEnv: apiKeyEnv, apiSecretEnv: apiSecretEnv, regions: regions,
            onDemandPrices: onDemandPrices, enabled: enabled,
            pollIntervalSeconds: pollInterval, offerExpirySeconds: expiry, launchTimeoutSeconds: launchTimeout,
            sshKeyNames: sshKeyNames, imageID: imageID, apiSessionTokenEnv: sessionTokenEnv,
            maxInstances: maxInstances, bidMarginPPM: bidMargin?.microdollars ?? SpotBid.defaultMarginPPM)
    }

    private func readOwnerPool(_ entry: inout ConfigurationReader) throws -> OwnerPoolConfiguration {
        guard let id = try entry.string("id") else { throw entry.error("an owner pool needs an 'id'") }
        guard ProviderIDSyntax.isValid(id) else {
            throw entry.error("'\(id)' must be \(ProviderIDSyntax.rule)", key: "id")
        }
        let name = try entry.string("name", default: id)
        guard
            let country = try entry.value(
                "country", expected: "an ISO 3166 alpha-2 code such as DE", parse: Self.country)
        else { throw entry.error("owner pool '\(id)' needs a 'country'") }
        guard let region = try entry.string("region"), !region.isEmpty else {
            throw entry.error("owner pool '\(id)' needs a 'region'")
        }
        let market = try entry.value("market", expected: "spot | on_demand", parse: Market.init(rawValue:)) ?? .spot
        let notice = try entry.int("min_notice_s", default: market == .spot ? 300 : 0, range: 0...86_400)
        guard
            let price = try entry.value(
                "price_per_gpu_hour", expected: "a price in USD such as 1.10", parse: Self.price)
        else { throw entry.error("owner pool '\(id)' needs a 'price_per_gpu_hour'") }
        var table = try entry.nested("gpu_prices")
        var prices: [String: Money] = [:]
        for model in table.keys() {
            guard let known = catalog.model(named: model) else {
                throw table.error("'\(model)' is not a GPU model of the catalog (such as A100-80GB)", key: model)
            }
            prices[known.name] = try table.value(model, expected: "a price in USD such as 1.10", parse: Self.price)
        }
        let enabled = try entry.bool("enabled", default: true)
        try entry.finish()
        return OwnerPoolConfiguration(
            id: id, name: name, country: country, region: region,
            terms: PoolTerms(
                market: market, minNoticeSeconds: notice, defaultPricePerGPUHour: price, pricePerGPUHour: prices),
            enabled: enabled)
    }

    /// What an old config's `kind: static` provider is told.
    private static func staticKindRemoved(_ id: String) -> String {
        "kind 'static' was removed: declare '\(id)' under 'owner_pools' (id, country, region, market, "
            + "price_per_gpu_hour) and run `gridbroker agent host --join-token …` on each machine; "
            + "see the README's Owner pools"
    }

    // MARK: Parsing helpers

    private static func compose(_ yaml: String, source: String) throws -> Node? {
        do {
            return try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                throw ConfigurationError(
                    source: source, line: mark.line, keyPath: "", message: "invalid YAML: \(problem)")
            case .duplicatedKeysInMapping(let duplicates, _):
                throw ConfigurationError(
                    source: source, keyPath: "",
                    message: "duplicate keys: \(duplicates.joined(separator: ", "))")
            default:
                throw ConfigurationError(source: source, keyPath: "", message: "invalid YAML: \(error)")
            }
        }
    }

    private static let levelNames = Logger.Level.allCases.map(\.rawValue).joined(separator: " | ")

    private static func isVariableName(_ text: String) -> Bool {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
        return !text.isEmpty && text.allSatisfy(allowed.contains) && text.first?.isNumber == false
    }

    /// An http(s) URL; `{region}` may stand where an AWS endpoint names its region (in the host,
    /// as in `https://ec2.{region}.amazonaws.com`, or in the path).
    private static func httpURL(_ text: String) -> String? {
        let sample = text.replacingOccurrences(of: "{region}", with: "us-east-1")
        guard let url = URL(string: sample), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host?.isEmpty == false
        else { return nil }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    /// A non-negative amount of USD, parsed exactly.
    private static func price(_ text: String) -> Money? {
        (try? Money(parsing: text)).flatMap { $0 >= .zero ? $0 : nil }
    }

    private static func country(_ text: String) -> String? {
        text.count == 2 && text.allSatisfy { $0.isASCII && $0.isUppercase } ? text : nil
    }

    private static func readText(at path: String) throws(ConfigurationError) -> String {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        let problem: String
        if !manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            problem = "no such file"
        } else if isDirectory.boolValue {
            problem = "it is a directory"
        } else if !manager.isReadableFile(atPath: path) {
            problem = "permission denied"
        } else if let data = manager.contents(atPath: path), let text = String(data: data, encoding: .utf8) {
            return text
        } else {
            problem = "not UTF-8 text"
        }
        throw ConfigurationError(source: path, keyPath: "", message: "cannot read the file: \(problem)")
    }
}
