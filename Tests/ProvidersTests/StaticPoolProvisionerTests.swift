import BrokerCore
import CurlHTTP
import Foundation
import Providers
import Testing

@Suite("Static pool provisioning")
struct StaticPoolProvisionerTests {
    private let transport = RecordedTransport(status: 500, body: "no network expected")

    private func machine(_ name: String, count: Int) throws -> StaticMachine {
        StaticMachine(
            name: name, gpu: try #require(GPUCatalog.standard.models.first { $0.name == "A100-80GB" }), gpus: 8,
            vcpus: 64, memoryGB: 512, diskGB: 2000, region: "berlin-1", country: "DE", market: .onDemand,
            pricePerHour: Money(microdollars: 9_500_000), count: count)
    }

    private func launch(_ pool: StaticPoolProvisioner, _ machine: String, node: String) async throws(ProviderError)
        -> ProviderInstance
    {
        var request = Provisioning.request(provider: "campus", native: machine)
        request.nodeID = node
        return try await pool.launch(request, transport: transport)
    }

    @Test("launches take free slots until none is left, then refuse the offer; terminate frees a slot")
    func allocation() async throws {
        let pool = StaticPoolProvisioner(providerID: "campus", machines: [try machine("a100-rack-1", count: 2)])
        #expect(try await launch(pool, "a100-rack-1", node: "n1").nativeID == "a100-rack-1#0@n1")
        #expect(try await launch(pool, "a100-rack-1", node: "n2").nativeID == "a100-rack-1#1@n2")
        let error = await Provisioning.error { _ = try await launch(pool, "a100-rack-1", node: "n3") }
        #expect(error == .insufficientCapacity(scope: .offer, message: "all 2 of 'a100-rack-1' are in use"))

        try await pool.terminate(nativeID: "a100-rack-1#0@n1", transport: transport)
        try await pool.terminate(nativeID: "a100-rack-1#0@n1", transport: transport)
        // The slot's next allocation has its own id: a late terminate of the old one leaves it alone.
        #expect(try await launch(pool, "a100-rack-1", node: "n3").nativeID == "a100-rack-1#0@n3")
        try await pool.terminate(nativeID: "a100-rack-1#0@n1", transport: transport)
        #expect(
            try await pool.instances(transport: transport) == [
                ProviderInstance(nativeID: "a100-rack-1#0@n3", nodeID: "n3", status: .running),
                ProviderInstance(nativeID: "a100-rack-1#1@n2", nodeID: "n2", status: .running),
            ])
        #expect(transport.requests.isEmpty)
    }

    @Test("a repeated launch for the same node gets its slot back, not a second one")
    func repeatedLaunch() async throws {
        let pool = StaticPoolProvisioner(providerID: "campus", machines: [try machine("a100-rack-1", count: 2)])
        let first = try await launch(pool, "a100-rack-1", node: "n1")
        #expect(try await launch(pool, "a100-rack-1", node: "n1") == first)
        #expect(try await pool.instances(transport: transport).count == 1)
    }

    @Test("allocations the database knows are kept; unknown machines, slots and terminated ones are not")
    func existingAllocations() async throws {
        let pool = StaticPoolProvisioner(
            providerID: "campus", machines: [try machine("a100-rack-1", count: 2), try machine("h100-box", count: 1)],
            existing: [
                ProviderInstance(nativeID: "a100-rack-1#1@old", nodeID: "old", status: .running),
                ProviderInstance(nativeID: "h100-box#0@gone", nodeID: "gone", status: .terminated),
                ProviderInstance(nativeID: "a100-rack-1#7@stale", nodeID: "stale", status: .running),
                ProviderInstance(nativeID: "retired#0@stale", nodeID: "stale", status: .running),
            ])
        #expect(
            try await pool.instances(transport: transport) == [
                ProviderInstance(nativeID: "a100-rack-1#1@old", nodeID: "old", status: .running)
            ])
        #expect(try await launch(pool, "a100-rack-1", node: "new").nativeID == "a100-rack-1#0@new")
        let full = await Provisioning.error { _ = try await launch(pool, "a100-rack-1", node: "newer") }
        #expect(full == .insufficientCapacity(scope: .offer, message: "all 2 of 'a100-rack-1' are in use"))
        #expect(try await launch(pool, "h100-box", node: "newer").nativeID == "h100-box#0@newer")
    }

    @Test("a machine the pool does not have, or a bad native id, is a clear error")
    func unknownMachine() async throws {
        let pool = StaticPoolProvisioner(providerID: "campus", machines: [try machine("a100-rack-1", count: 1)])
        let launchError = await Provisioning.error { _ = try await launch(pool, "nope", node: "n1") }
        #expect(launchError == .misconfigured("'nope' is not a static pool offer id (expected a machine of the pool)"))
        let terminateError = await Provisioning.error {
            try await pool.terminate(nativeID: "nope", transport: transport)
        }
        #expect(
            terminateError
                == .misconfigured("'nope' is not a static pool instance id (expected '<machine>#<slot>@<node id>')"))
    }
}
