import BrokerCore
import Foundation
import HummingbirdTesting
import Testing

@testable import MarketSim

/// What a simulated node is started with and runs on: the environment each provider's launch
/// carries, and the GPU model and count its agent works at.
@Suite("Simulated nodes' environment and GPUs")
struct NodeEnvironmentTests {
    @Test(
        "every provider's launch keeps the node's environment and knows its GPUs", arguments: SimulatedProvider.allCases
    )
    func environmentAndGPUs(provider: SimulatedProvider) async throws {
        let simulator = makeSimulator()
        try await withClient(simulator) { client in
            #expect(try await Launch.any(provider, name: "gridbroker-e1", simulator, client).status == .ok)
            let instance = try #require(try await SimInstances.fetch(client).first)
            #expect(instance.environment["A"] == "1")
            let gpu = try #require(instance.gpu)
            #expect(GPUCatalog.standard.model(named: gpu)?.name == gpu)
            #expect(instance.gpus >= 1)
            #expect(instance.spotZone == nil)
        }
    }

    @Test("a boot script's node spec is the environment its agent starts with; a script without one gives none")
    func bootScriptEnvironment() {
        #expect(
            BootScript.environment(Launch.bootScript) == [
                "A": "1", "GRIDBROKER_URL": "http://127.0.0.1:8080", "GRIDBROKER_AGENT_TOKEN": "gbn_1",
                "GRIDBROKER_NODE_ID": "node_1",
            ])
        #expect(BootScript.environment("#!/bin/sh\nexec docker run -e A=1 img\n") == [:])
        let dockerArgs = "sh -c 'set -eu\necho \"$1\"' node 'it'\\''s'"
        #expect(BootScript.shellWords(dockerArgs) == ["sh", "-c", "set -eu\necho \"$1\"", "node", "it's"])
    }

    @Test("Lambda's GPU descriptions map to the catalog's models")
    func lambdaGPUs() throws {
        let market = makeSimulator().market.lambda
        func gpu(_ name: String) -> String? {
            market.types.first { $0.name == name }.flatMap(LambdaMarket.gpu)?.name
        }
        #expect(gpu("gpu_1x_h100_pcie") == "H100-PCIE")
        #expect(gpu("gpu_8x_h100_sxm5") == "H100-SXM")
        #expect(gpu("gpu_8x_a100_80gb_sxm4") == "A100-80GB")
        #expect(gpu("gpu_1x_a100") == "A100-40GB")
        #expect(gpu("gpu_8x_v100") == "V100")
    }
}
