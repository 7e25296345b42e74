// swift-tools-version: 6.2

import PackageDescription

let package = Package(
    name: "gridbroker",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gridbroker", targets: ["gridbroker"]),
        .executable(name: "gridbroker-agent", targets: ["gridbroker-agent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // MARK: libcurl
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "CurlHTTP",
            dependencies: ["CCurl"]
        ),

        // MARK: Domain
        .target(name: "BrokerCore"),

        // MARK: Market data
        .target(
            name: "Providers",
            dependencies: [
                "BrokerCore",
                "CurlHTTP",
                "NodeAgent",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // MARK: Node agent
        .target(name: "NodeAgent"),
        .target(
            name: "AgentRuntime",
            dependencies: [
                "NodeAgent",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // One file that runs on any Linux machine with glibc: the Swift runtime, Foundation's
        // essentials and the C++ runtime linked in statically (see Linking/StaticCxx).
        .executableTarget(
            name: "gridbroker-agent",
            dependencies: [
                "AgentRuntime",
                "NodeAgent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            linkerSettings: [
                .unsafeFlags([
                    "-static-stdlib", "-L", Context.packageDirectory + "/Linking/StaticCxx",
                    "-Xclang-linker", "-static-libgcc", "-Xlinker", "-l_FoundationCollections", "-Xlinker",
                    "-l_FoundationCShims",
                ]),
                // Every node downloads it: a release build leaves out the symbols (63 MB → 24 MB).
                .unsafeFlags(["-Xlinker", "--strip-all"], .when(configuration: .release)),
            ]
        ),

        .target(
            name: "MarketSim",
            dependencies: [
                "BrokerCore",
                "NodeAgent",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),

        // MARK: Persistence
        .target(
            name: "Store",
            dependencies: [
                "BrokerCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The same repositories on PostgreSQL, for several brokers on one database.
        .target(
            name: "PostgresStore",
            dependencies: [
                "BrokerCore",
                "Store",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),

        // MARK: Daemon
        .target(
            name: "Broker",
            dependencies: [
                "BrokerCore",
                "CurlHTTP",
                "Providers",
                "Store",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The web console: HTML pages, its sessions and CSRF; its stylesheet and script compiled in.
        .target(
            name: "BrokerConsole",
            dependencies: [
                "Broker",
                "BrokerCore",
                "Store",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            resources: [.embedInCode("Assets/console.css"), .embedInCode("Assets/console.js")]
        ),
        .target(
            name: "BrokerHTTP",
            dependencies: [
                "Broker",
                "BrokerConsole",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            // The API contract served at GET /openapi.yaml, compiled into the binary; the file
            // here is a symlink to the repository's openapi.yaml.
            resources: [.embedInCode("openapi.yaml")]
        ),
        .executableTarget(
            name: "gridbroker",
            dependencies: [
                "Broker",
                "BrokerCore",
                "BrokerHTTP",
                "CurlHTTP",
                "MarketSim",
                "NodeAgent",
                "PostgresStore",
                "Store",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        .executableTarget(
            name: "gridbroker-bench",
            dependencies: [
                "Broker",
                "BrokerHTTP",
                "BrokerCore",
                "CurlHTTP",
                "MarketSim",
                "Providers",
                "PostgresStore",
                "Store",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // MARK: Tests
        .testTarget(name: "BrokerCoreTests", dependencies: ["BrokerCore"]),
        .testTarget(name: "NodeAgentTests", dependencies: ["NodeAgent"]),
        .testTarget(name: "AgentRuntimeTests", dependencies: ["AgentRuntime", "NodeAgent"]),
        .testTarget(
            name: "CurlHTTPTests",
            dependencies: [
                "CurlHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "ProvidersTests",
            dependencies: ["Providers", .product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MarketSimTests",
            dependencies: [
                "MarketSim",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: ["PostgresStore", "Store", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "BrokerTests",
            dependencies: ["Broker", "BrokerCore", "CurlHTTP", "NodeAgent", "PostgresStore", "Providers", "Store"]
        ),
        .testTarget(
            name: "BrokerConsoleTests",
            dependencies: [
                "BrokerConsole",
                "BrokerHTTP",
                "Broker",
                "BrokerCore",
                "Store",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "BrokerHTTPTests",
            dependencies: [
                "BrokerHTTP",
                "BrokerConsole",
                "BrokerCore",
                "CurlHTTP",
                "Providers",
                "Store",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "GridbrokerTests",
            dependencies: [
                "Broker", "BrokerCore", "CurlHTTP", "MarketSim", "NodeAgent", "Providers", "Store", "gridbroker",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
    ]
)
