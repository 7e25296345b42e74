import BrokerCore
import CurlHTTP
import Foundation
import Providers
import Testing

@Suite("RunPod provisioning")
struct RunPodProvisionerTests {
    private let key = "rpa_SECRET+key/42"
    private var provisioner: RunPodProvisioner {
        RunPodProvisioner(providerID: "runpod", baseURL: "http://127.0.0.1:9400/runpod", apiKey: key)
    }

    /// The GraphQL document of the last request.
    private func query(_ transport: RecordedTransport) throws -> String {
        try #require(transport.lastRequest?.jsonBody?["query"] as? String)
    }

    @Test("an on-demand launch deploys the GPU type, cloud and count of the offer, tagged, not retried")
    func onDemandLaunch() async throws {
        let transport = try Provisioning.transport("deploy-on-demand", provider: "runpod")
        let request = Provisioning.request(provider: "runpod", native: "NVIDIA H100 80GB HBM3:secure:8")
        let instance = try await provisioner.launch(request, transport: transport)
        #expect(instance == ProviderInstance(nativeID: "8fk3c0x2yq1b7w", nodeID: Provisioning.nodeID, status: .pending))

        let sent = try #require(transport.lastRequest)
        #expect(sent.method == .post)
        #expect(sent.path == "/runpod/graphql")
        #expect(sent.headers.values(for: "Authorization") == ["Bearer \(key)"])
        #expect(sent.queryItems["api_key"] == nil, "the key never travels in the URL")
        #expect(sent.retry == .none)
        let query = try query(transport)
        #expect(query.hasPrefix("mutation { podFindAndDeployOnDemand(input: {"))
        #expect(query.contains("cloudType: SECURE"))
        #expect(query.contains("gpuCount: 8"))
        #expect(query.contains(#"gpuTypeId: "NVIDIA H100 80GB HBM3""#))
        #expect(query.contains(#"name: "gridbroker-node_01JD3XQ7""#))
        #expect(query.contains(#"imageName: "nvcr.io/nvidia/pytorch:24.05-py3""#))
        #expect(query.contains("containerDiskInGb: 200"))
        #expect(
            query.contains(
                #"env: [{key: "GRIDBROKER_AGENT_INTERVAL", value: "10.0"}, "#
                    + #"{key: "GRIDBROKER_AGENT_TOKEN", value: "gbn_0123456789abcdef"}, "#
                    + #"{key: "GRIDBROKER_URL", value: "https://broker.example.com"}, {key: "WANDB_PROJECT", value: "lora"}]"#
            ))
        #expect(query.contains(#"dockerArgs: "sh -c 'set -eu"#))
        #expect(query.contains(#"gridbroker-node torchrun train.py --note 'it'\\''s'""#))
        #expect(!query.contains("bidPerGpu"))
        #expect(query.hasSuffix("}) { id name desiredStatus } }"))
    }

    @Test("a spot launch rents interruptibly with the bid per GPU")
    func spotLaunch() async throws {
        let transport = try Provisioning.transport("rent-interruptable", provider: "runpod")
        let request = Provisioning.request(
            provider: "runpod", native: "NVIDIA RTX 4090:community:2:spot", market: .spot,
            price: Money(microdollars: 690_000), gpuCount: 2, bid: Money(microdollars: 759_000))
        let instance = try await provisioner.launch(request, transport: transport)
        #expect(instance.nativeID == "3v9xq2k1m0z8ab")
        let query = try query(transport)
        #expect(query.hasPrefix("mutation { podRentInterruptable(input: {bidPerGpu: 0.3795, "))
        #expect(query.contains("cloudType: COMMUNITY"))
        #expect(query.contains("gpuCount: 2"))
    }

    @Test("no instances left is a capacity refusal for the offer")
    func noCapacity() async throws {
        let transport = try Provisioning.transport("deploy-no-capacity", provider: "runpod")
        let error = await Provisioning.error {
            _ = try await provisioner.launch(
                Provisioning.request(provider: "runpod", native: "NVIDIA H100 80GB HBM3:secure:8"), transport: transport
            )
        }
        guard case .insufficientCapacity(scope: .offer, let message)? = error else {
            Issue.record("expected a capacity refusal, got \(String(describing: error))")
            return
        }
        #expect(message.contains("There are no longer any instances available"))
    }

    @Test("other GraphQL errors surface with their message")
    func otherErrors() async throws {
        let transport = try Provisioning.transport("deploy-invalid-image", provider: "runpod")
        let error = await Provisioning.error {
            _ = try await provisioner.launch(
                Provisioning.request(provider: "runpod", native: "NVIDIA H100 80GB HBM3:secure:8"), transport: transport
            )
        }
        #expect(
            error
                == .api(
                    code: "INTERNAL_SERVER_ERROR",
                    message: "Something went wrong. Please try again later or contact support."))
    }

    @Test(
        "offer ids that are not RunPod's are refused before any request",
        arguments: ["NVIDIA H100", "NVIDIA H100:secure", "NVIDIA H100:private:8", "NVIDIA H100:secure:0", ":secure:8"])
    func foreignOfferID(native: String) async throws {
        let transport = try Provisioning.transport("deploy-on-demand", provider: "runpod")
        let error = await Provisioning.error {
            _ = try await provisioner.launch(
                Provisioning.request(provider: "runpod", native: native), transport: transport)
        }
        guard case .misconfigured? = error else {
            Issue.record("expected misconfigured, got \(String(describing: error))")
            return
        }
        #expect(transport.requests.isEmpty)
    }

    @Test("listing keeps the tagged pods and maps desiredStatus and runtime")
    func listing() async throws {
        let transport = try Provisioning.transport("pods", provider: "runpod")
        let instances = try await provisioner.instances(transport: transport)
        #expect(
            instances == [
                ProviderInstance(nativeID: "8fk3c0x2yq1b7w", nodeID: "node_01JD3XQ7", status: .running),
                ProviderInstance(nativeID: "3v9xq2k1m0z8ab", nodeID: "node_01JD3XR2", status: .pending),
                ProviderInstance(nativeID: "1m2n3b4v5c6x7z", nodeID: "node_01JD3XR3", status: .stopping),
                ProviderInstance(nativeID: "0p9o8i7u6y5t4r", nodeID: "node_01JD3XR4", status: .terminated),
            ])
        #expect(try query(transport).contains("myself { pods { id name desiredStatus runtime { uptimeInSeconds } } }"))
    }

    @Test("terminate sends podTerminate; a pod not found is already gone")
    func terminate() async throws {
        let transport = try Provisioning.transport(
            [("terminate-ok", 200), ("terminate-not-found", 200)], provider: "runpod")
        try await provisioner.terminate(nativeID: "8fk3c0x2yq1b7w", transport: transport)
        try await provisioner.terminate(nativeID: "8fk3c0x2yq1b7w", transport: transport)
        #expect(try query(transport) == #"mutation { podTerminate(input: {podId: "8fk3c0x2yq1b7w"}) }"#)
        #expect(transport.requests.count == 2)
    }

    @Test("the API key (plain or percent-encoded) never appears in an error")
    func keyRedacted() async throws {
        let encoded = "rpa_SECRET%2Bkey%2F42"
        let transport = RecordedTransport(
            status: 500, body: "upstream failed for /graphql?api_key=\(encoded) (key \(key))")
        let error = await Provisioning.error { _ = try await provisioner.instances(transport: transport) }
        let description = try #require(error).description
        #expect(!description.contains(key))
        #expect(!description.contains(encoded))
        #expect(description.contains("<redacted>"))
    }
}
