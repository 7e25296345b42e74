/// The configuration the daemon runs on when no file is given and `config/gridbroker.yaml`
/// does not exist: local only, data under `./var`, providers pointing at the simulated market
/// (`gridbroker sim` on port 9400). The same settings as the repository's config file (a test
/// checks they agree).
enum EmbeddedConfiguration {
    static let sourceName = "embedded default"

    static let yaml = """
        server:
          host: 127.0.0.1
          port: 8080
          idle_timeout_s: 30
          rate_limit_per_s: 50
          rate_limit_burst: 200

        data_dir: ./var
        log_level: info

        providers:
          - id: vast
            kind: vast
            base_url: http://127.0.0.1:9400/vast
            api_key_env: SIMULATED_MARKET_API_KEY
            bid_margin: 0.1
            poll_interval_s: 30
            offer_expiry_s: 120
          - id: runpod
            kind: runpod
            base_url: http://127.0.0.1:9400/runpod
            api_key_env: SIMULATED_MARKET_API_KEY
            bid_margin: 0.1
            poll_interval_s: 30
            offer_expiry_s: 120
          - id: lambda
            kind: lambda
            base_url: http://127.0.0.1:9400/lambda
            api_key_env: SIMULATED_MARKET_API_KEY
            ssh_key_names: [gridbroker]
            poll_interval_s: 30
            offer_expiry_s: 120
          - id: aws
            kind: aws
            base_url: http://127.0.0.1:9400/aws/{region}
            api_key_env: SIMULATED_MARKET_API_KEY
            api_secret_env: SIMULATED_MARKET_API_KEY
            regions: [us-east-1, us-west-2, eu-central-1]
            image_id: ami-0gridbroker0sim0
            launch_timeout_s: 900
            on_demand_prices:
              p5.48xlarge: 98.32
              p4de.24xlarge: 40.97
              p4d.24xlarge: 32.77
              p3.2xlarge: 3.06
              p3.8xlarge: 12.24
              p3.16xlarge: 24.48
              g6e.xlarge: 1.861
              g6.xlarge: 0.8048
              g5.xlarge: 1.006
              g5.12xlarge: 5.672
              g5.48xlarge: 16.288
              g4dn.xlarge: 0.526
            poll_interval_s: 60
            offer_expiry_s: 300
          - id: shadeform
            kind: shadeform
            base_url: http://127.0.0.1:9400/shadeform
            api_key_env: SIMULATED_MARKET_API_KEY
            poll_interval_s: 30
            offer_expiry_s: 120

        owner_pools:
          - id: campus
            name: Campus A100s
            country: DE
            region: berlin-1
            market: spot
            min_notice_s: 30
            price_per_gpu_hour: 0.25

        scheduler:
          interval_s: 5
          reconcile_interval_s: 30
          accounting_interval_s: 60
          launch_timeout_s: 600
          heartbeat_timeout_s: 300
          boot_timeout_s: 900
          agent_interval_s: 10
          restart_overhead_s: 720

        pools:
          machine_timeout_s: 30
        logs:
          max_bytes_per_node: 8388608

        webhooks:
          secrets_env: [GRIDBROKER_WEBHOOK_SECRET]
          tolerance_s: 300
        """
}
