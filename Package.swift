// swift-tools-version: 6.2

import PackageDescription

let package = Package(
    name: "gridbroker",
    platforms: [.macOS(.v15)],
    targets: [
        // MARK: Domain
        .target(name: "BrokerCore"),

        // MARK: Tests
        .testTarget(name: "BrokerCoreTests", dependencies: ["BrokerCore"]),
    ]
)
