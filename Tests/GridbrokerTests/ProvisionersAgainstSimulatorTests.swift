import Broker
import BrokerCore
import CurlHTTP
import Foundation
import Providers
import Testing

/// Every provider's real adapters, as the daemon builds them from the repository's config, against
/// the simulated market's instance APIs: launch, list, terminate, and a capacity refusal.
@Suite("Provisioners against the simulated market", .serialized)
struct ProvisionersAgainstSimulatorTests {
    @Test(arguments: ["vast", "runpod", "lambda", "aws", "shadeform"])
    func launchListTerminate(provider id: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridbroker-adapters-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let sim = try GridbrokerProcess(
            [
                "sim", "--port", "0", "--offers", "2000", "--seed", "3", "--boot-seconds", "0", "--shutdown-seconds",
                "0",
            ],
            in: folder)
        let port = try await sim.waitForLog(#"serving on http://127\.0\.0\.1:(\d+)"#)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let yaml = try String(contentsOf: root.appendingPathComponent("config/gridbroker.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "127.0.0.1:9400", with: "127.0.0.1:\(port)")
        let configuration = try ConfigurationLoader(environment: [:]).parse(yaml: yaml, source: "test")
        let provider = try #require(configuration.providers.first { $0.id == id })
        let adapters = ProviderAdapters(environment: ["SIMULATED_MARKET_API_KEY": "test-key"])
        let client = CurlHTTPClient()
        defer { sim.signal(SIGTERM) }

        let snapshot = try await adapters.source(for: provider).fetchOffers(transport: client, now: Date())
        if id == "aws" {
            // No max_instances in the config: capacity comes from the account's vCPU quotas (768 for
            // P instances on demand in the simulated account: 8 p4d.24xlarge of 96 vCPUs each).
            let onDemandP = snapshot.offers.filter { $0.market == .onDemand && $0.id.native.hasPrefix("p") }
            #expect(!onDemandP.isEmpty)
            #expect(onDemandP.allSatisfy { $0.vcpus > 0 && $0.available == 768 / $0.vcpus })
        }
        let offer = try #require(
            snapshot.offers.filter { $0.available > 0 && $0.market == .onDemand }.min {
                $0.pricePerHour < $1.pricePerHour
            })
        let provisioner = adapters.provisioner(for: provider)
        let request = LaunchRequest(
            nodeID: "node_\(id)_1", offer: offer, image: "img", command: ["train"], agentToken: "gbn_test",
            agent: AgentDelivery(brokerURL: "http://127.0.0.1:8080", sha256: "00"))
        let launched = try await provisioner.launch(request, transport: client)
        #expect(launched.nodeID == "node_\(id)_1")

        let listed = try await provisioner.instances(transport: client)
        #expect(listed.map(\.nativeID) == [launched.nativeID])
        #expect(listed.first?.nodeID == "node_\(id)_1")
        #expect(listed.first.map { [.pending, .running].contains($0.status) } == true)

        try await provisioner.terminate(nativeID: launched.nativeID, transport: client)
        try await provisioner.terminate(nativeID: launched.nativeID, transport: client)  // safe to repeat
        let after = try await provisioner.instances(transport: client)
        #expect(after.allSatisfy { $0.status == .terminated || $0.status == .stopping })

        // The provider refusing every launch for lack of capacity is a capacity error, not a crash.
        _ = try await client.execute(
            HTTPRequest(
                method: .put, url: "http://127.0.0.1:\(port)/_sim/faults/\(id)",
                headers: ["Content-Type": "application/json"], body: Array(#"{"no_capacity": true}"#.utf8)))
        await #expect {
            _ = try await provisioner.launch(
                LaunchRequest(
                    nodeID: "node_\(id)_2", offer: offer, image: "img", command: ["train"], agentToken: "gbn_test",
                    agent: AgentDelivery(brokerURL: "http://127.0.0.1:8080", sha256: "00")), transport: client
            )
        } throws: { error in
            guard case .insufficientCapacity = error as? ProviderError else { return false }
            return true
        }
        await client.shutdown()
    }
}
