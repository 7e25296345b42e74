import BrokerCore
import Foundation
import Testing

@testable import Broker

@Suite("Loading the daemon's configuration")
struct ConfigurationLoaderTests {
    private let source = "test.yaml"

    private func parse(_ yaml: String, environment: [String: String] = [:]) throws(ConfigurationError)
        -> BrokerConfiguration
    {
        try ConfigurationLoader(environment: environment).parse(yaml: yaml, source: source)
    }

    /// The error for `yaml`, or a test failure if it loads.
    private func error(_ yaml: String, environment: [String: String] = [:]) -> ConfigurationError? {
        do {
            _ = try parse(yaml, environment: environment)
            Issue.record("expected a configuration error")
            return nil
        } catch {
            return error
        }
    }

    private var embeddedDefault: BrokerConfiguration {
        get throws {
            try ConfigurationLoader(environment: [:])
                .parse(yaml: EmbeddedConfiguration.yaml, source: EmbeddedConfiguration.sourceName)
        }
    }

    @Test("bid margins, AWS capacity per region and a session token variable are read")
    func biddingAndQuotaSettings() throws {
        let configuration = try parse(
            """
            providers:
              - {id: v, kind: vast, base_url: 'https://a.example', bid_margin: 0.25}
              - {id: r, kind: runpod, base_url: 'https://b.example'}
              - id: a
                kind: aws
                base_url: 'https://ec2.{region}.amazonaws.com'
                regions: [us-east-1, eu-west-1]
                max_instances: {us-east-1: 8}
                api_session_token_env: AWS_SESSION_TOKEN
            """, environment: [:])
        #expect(configuration.providers.map(\.bidMarginPPM) == [250_000, 100_000, 100_000])
        #expect(configuration.providers[2].maxInstances == ["us-east-1": 8])
        #expect(configuration.providers[2].apiSessionTokenEnv == "AWS_SESSION_TOKEN")
    }

    @Test func embeddedDefaultIsLocalWithEveryProviderOnTheSimulatedMarket() throws {
        let configuration = try embeddedDefault
        #expect(configuration.server == ServerConfiguration(host: "127.0.0.1", port: 8080))
        #expect(configuration.databasePath == "./var/gridbroker.sqlite")
        #expect(Set(configuration.providers.map(\.kind)) == Set(ProviderKind.allCases))
        #expect(
            configuration.providers.allSatisfy {
                $0.baseURL?.hasPrefix("http://127.0.0.1:9400/\($0.kind.rawValue)") == true
            })
        let aws = try #require(configuration.providers.first { $0.kind == .aws })
        #expect(aws.regions == ["us-east-1", "us-west-2", "eu-central-1"])
        #expect(aws.onDemandPrices["p5.48xlarge"] == Money(microdollars: 98_320_000))
    }

    @Test func repositoryConfigFileMeansTheSameAsTheEmbeddedDefault() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = root.appendingPathComponent(ConfigurationLoader.defaultPath).path
        let configuration = try ConfigurationLoader(environment: [:]).load(path: path)
        #expect(configuration == (try embeddedDefault))
    }

    @Test func designExampleLoadsWithEveryValue() throws {
        let configuration = try parse(
            """
            server: {host: 0.0.0.0, port: 9090}
            data_dir: /srv/gridbroker
            log_level: debug
            providers:
              - id: vast
                kind: vast
                base_url: https://console.vast.ai/
                api_key_env: VAST_API_KEY
                poll_interval_s: 30
                offer_expiry_s: 120
            owner_pools:
              - id: campus
                name: Campus A100s
                country: DE
                region: berlin-1
                market: on_demand
                price_per_gpu_hour: 1.10
                gpu_prices: {H100-SXM: 2.50}
            webhooks:
              secrets_env: [GRIDBROKER_WEBHOOK_SECRET, GRIDBROKER_WEBHOOK_SECRET_OLD]
              tolerance_s: 120
            """)
        #expect(configuration.server == ServerConfiguration(host: "0.0.0.0", port: 9090))
        #expect(configuration.databasePath == "/srv/gridbroker/gridbroker.sqlite")
        #expect(configuration.logLevel == .debug)
        #expect(configuration.providers.map(\.id) == ["vast"])
        let vast = try #require(configuration.providers.first)
        #expect(vast.kind == .vast)
        #expect(vast.baseURL == "https://console.vast.ai")
        #expect(vast.apiKeyEnv == "VAST_API_KEY")
        #expect(vast.pollIntervalSeconds == 30 && vast.offerExpirySeconds == 120 && vast.enabled)
        #expect(
            configuration.ownerPools == [
                OwnerPoolConfiguration(
                    id: "campus", name: "Campus A100s", country: "DE", region: "berlin-1",
                    terms: PoolTerms(
                        market: .onDemand, minNoticeSeconds: 0, defaultPricePerGPUHour: Money(microdollars: 1_100_000),
                        pricePerGPUHour: ["H100-SXM": Money(microdollars: 2_500_000)]))
            ])
        #expect(configuration.webhooks.secretsEnv == ["GRIDBROKER_WEBHOOK_SECRET", "GRIDBROKER_WEBHOOK_SECRET_OLD"])
        #expect(configuration.webhooks.toleranceSeconds == 120)
    }

    @Test func environmentOverridesFileValuesAndKeysTheFileLeavesOut() throws {
        let configuration = try parse(
            """
            server: {port: 8080}
            providers:
              - {id: lambda, kind: lambda, base_url: "http://127.0.0.1:9400/lambda"}
            """,
            environment: [
                "GRIDBROKER_SERVER_PORT": "9001",
                "GRIDBROKER_SERVER_HOST": "::1",
                "GRIDBROKER_DATA_DIR": "/tmp/elsewhere",
                "GRIDBROKER_PROVIDERS_0_POLL_INTERVAL_S": "15",
                "GRIDBROKER_WEBHOOKS_SECRETS_ENV": "A_SECRET, B_SECRET",
                "GRIDBROKER_URL": "not a config key, used by the CLI",
            ])
        #expect(configuration.server == ServerConfiguration(host: "::1", port: 9001))
        #expect(configuration.dataDirectory == "/tmp/elsewhere")
        #expect(configuration.providers.first?.pollIntervalSeconds == 15)
        #expect(configuration.webhooks.secretsEnv == ["A_SECRET", "B_SECRET"])
    }

    @Test func badEnvironmentOverrideNamesTheVariable() {
        let failure = error("server: {port: 8080}", environment: ["GRIDBROKER_SERVER_PORT": "http"])
        #expect(failure?.description == "GRIDBROKER_SERVER_PORT: server.port: expected a whole number, got 'http'")
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var yaml: String
        var line: Int?
        var keyPath: String
        var message: String
        var testDescription: String { "\(keyPath): \(message)" }
    }

    @Test(arguments: [
        Case(
            yaml: "server: {port: 70000}", line: 1, keyPath: "server.port", message: "70000 is out of range 0...65535"),
        Case(yaml: "server:\n  port: -1", line: 2, keyPath: "server.port", message: "-1 is out of range 0...65535"),
        Case(
            yaml: "server:\n  port: eighty", line: 2, keyPath: "server.port",
            message: "expected a whole number, got 'eighty'"),
        Case(yaml: "server: {host: localhost}\nlisten: 80", line: 2, keyPath: "listen", message: "unknown key"),
        Case(yaml: "server:\n  hots: localhost", line: 2, keyPath: "server.hots", message: "unknown key"),
        Case(yaml: "server: [1, 2]", line: 1, keyPath: "server", message: "expected a mapping of keys to values"),
        Case(
            yaml: "log_level: loud", line: 1, keyPath: "log_level",
            message: "expected trace | debug | info | notice | warning | error | critical, got 'loud'"),
        Case(
            yaml: "server: {port: 8080\n", line: 2, keyPath: "",
            message: "invalid YAML: did not find expected ',' or '}'"),
        Case(
            yaml: "providers:\n  - {kind: vast, base_url: 'https://x.example'}", line: 2, keyPath: "providers[0]",
            message: "a provider needs an 'id'"),
        Case(
            yaml: "providers:\n  - {id: v, kind: ovh, base_url: 'https://x.example'}", line: 2,
            keyPath: "providers[0].kind",
            message: "expected vast | runpod | lambda | aws | shadeform, got 'ovh'"),
        Case(
            yaml: "providers:\n  - {id: v, kind: vast}", line: 2, keyPath: "providers[0]",
            message: "provider 'v' of kind vast needs a 'base_url'"),
        Case(
            yaml: "providers:\n  - {id: v, kind: vast, base_url: 'ftp://x.example'}", line: 2,
            keyPath: "providers[0].base_url", message: "expected an http:// or https:// URL, got 'ftp://x.example'"),
        Case(
            yaml:
                "providers:\n  - {id: v, kind: vast, base_url: 'https://a.example'}\n  - {id: v, kind: lambda, base_url: 'https://b.example'}",
            line: 3, keyPath: "providers[1].id", message: "duplicate provider id 'v'"),
        Case(
            yaml:
                "providers:\n  - {id: v, kind: vast, base_url: 'https://a.example', poll_interval_s: 60, offer_expiry_s: 30}",
            line: 2, keyPath: "providers[0].offer_expiry_s",
            message: "30 is shorter than poll_interval_s (60): every offer would expire between polls"),
        Case(
            yaml: "providers:\n  - id: campus\n    kind: static\n    nodes: []", line: 3, keyPath: "providers[0].kind",
            message:
                "kind 'static' was removed: declare 'campus' under 'owner_pools' (id, country, region, market, "
                + "price_per_gpu_hour) and run `gridbroker agent host --join-token …` on each machine; "
                + "see the README's Owner pools"),
        Case(
            yaml: "owner_pools:\n  - {id: campus, country: DE, region: b}", line: 2, keyPath: "owner_pools[0]",
            message: "owner pool 'campus' needs a 'price_per_gpu_hour'"),
        Case(
            yaml: "owner_pools:\n  - {id: campus, country: de, region: b, price_per_gpu_hour: 1}", line: 2,
            keyPath: "owner_pools[0].country", message: "expected an ISO 3166 alpha-2 code such as DE, got 'de'"),
        Case(
            yaml:
                "owner_pools:\n  - {id: campus, country: DE, region: b, price_per_gpu_hour: 1, gpu_prices: {Z9000: 2}}",
            line: 2, keyPath: "owner_pools[0].gpu_prices.Z9000",
            message: "'Z9000' is not a GPU model of the catalog (such as A100-80GB)"),
        Case(
            yaml: "owner_pools:\n  - {id: campus, country: DE, region: b, price_per_gpu_hour: cheap}", line: 2,
            keyPath: "owner_pools[0].price_per_gpu_hour", message: "expected a price in USD such as 1.10, got 'cheap'"),
        Case(
            yaml:
                "providers:\n  - {id: campus, kind: vast, base_url: 'https://a.example'}\nowner_pools:\n  - {id: campus, country: DE, region: b, price_per_gpu_hour: 1}",
            line: 4, keyPath: "owner_pools[0].id", message: "the id 'campus' is taken by another provider or owner pool"
        ),
        Case(
            yaml: "scheduler: {launch_timeout_s: 5}", line: 1, keyPath: "scheduler.launch_timeout_s",
            message: "5 is out of range 10...86400"),
        Case(
            yaml: "providers:\n  - {id: v, kind: vast, base_url: 'https://a.example', ssh_key_names: [k]}", line: 2,
            keyPath: "providers[0].ssh_key_names", message: "only a lambda provider takes 'ssh_key_names'"),
        Case(
            yaml: "providers:\n  - {id: v, kind: vast, base_url: 'https://a.example', image_id: ami-1}", line: 2,
            keyPath: "providers[0].image_id", message: "only an aws provider takes 'image_id' (the AMI its nodes boot)"),
        Case(
            yaml: "webhooks: {secrets_env: [lower-case]}", line: 1, keyPath: "webhooks.secrets_env",
            message: "'lower-case' is not an environment variable name"),
        Case(
            yaml: "providers:\n  - {id: v, kind: vast, base_url: 'https://a.example', bid_margin: 1.5}", line: 2,
            keyPath: "providers[0].bid_margin",
            message: "expected a fraction of the ask from 0 to 1, such as 0.1, got '1.5'"),
        Case(
            yaml:
                "providers:\n  - {id: a, kind: aws, base_url: 'https://a.example', regions: [us-east-1], bid_margin: 0.1}",
            line: 2, keyPath: "providers[0].bid_margin",
            message: "only vast and runpod take 'bid_margin' (they charge the bid; AWS charges the spot price)"),
        Case(
            yaml:
                "providers:\n  - {id: a, kind: aws, base_url: 'https://a.example', regions: [us-east-1], max_instances: {eu-west-1: 4}}",
            line: 2, keyPath: "providers[0].max_instances.eu-west-1",
            message: "'eu-west-1' is not one of this provider's regions"),
        Case(
            yaml: "providers:\n  - {id: v, kind: vast, base_url: 'https://a.example', api_session_token_env: TOKEN}",
            line: 2, keyPath: "providers[0].api_session_token_env",
            message: "only an aws provider takes 'api_session_token_env'"),
    ])
    func invalidConfigIsRejectedWithWhereAndWhat(_ testCase: Case) {
        let failure = error(testCase.yaml)
        #expect(
            failure
                == ConfigurationError(
                    source: source, line: testCase.line, keyPath: testCase.keyPath, message: testCase.message))
    }

    @Test("database.url selects PostgreSQL, from the file or GRIDBROKER_DATABASE_URL, and nothing else")
    func databaseURL() throws {
        #expect(try embeddedDefault.database == DatabaseConfiguration(url: nil, leaseSeconds: 30))
        #expect(try parse("database: {lease_s: 5}").database.leaseSeconds == 5)
        let url = "postgres://broker:secret@db.internal:5432/gridbroker?sslmode=require"
        #expect(try parse("database: {url: \"\(url)\"}").database.url == url)
        #expect(try parse("{}", environment: ["GRIDBROKER_DATABASE_URL": url]).database.url == url)
        let refused = error("database: {url: \"mysql://db/gridbroker\"}")
        #expect(refused?.keyPath == "database.url")
        #expect(refused?.message == "must be a postgres:// URL (leave it out for the embedded SQLite)")
    }

    @Test func schedulerSettingsTakeEachProvidersLaunchTimeout() throws {
        let configuration = try parse(
            """
            scheduler: {interval_s: 2, launch_timeout_s: 120}
            providers:
              - {id: slow, kind: lambda, base_url: 'https://l.example', launch_timeout_s: 900, ssh_key_names: [me]}
              - {id: quick, kind: vast, base_url: 'https://v.example'}
            """)
        let settings = configuration.schedulerSettings
        #expect(settings.interval == .seconds(2))
        #expect(settings.launchTimeout(for: "slow") == .seconds(900))
        #expect(settings.launchTimeout(for: "quick") == .seconds(120))
        #expect(configuration.providers[0].sshKeyNames == ["me"])
    }

    @Test func unreadableFileNamesThePathAndTheReason() {
        #expect {
            try ConfigurationLoader(environment: [:]).load(path: "/nonexistent/gridbroker.yaml")
        } throws: { error in
            (error as? ConfigurationError)?.description
                == "/nonexistent/gridbroker.yaml: cannot read the file: no such file"
        }
    }
}
