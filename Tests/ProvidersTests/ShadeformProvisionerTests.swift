import BrokerCore
import CurlHTTP
import Foundation
import Providers
import Testing

@Suite("Shadeform provisioning")
struct ShadeformProvisionerTests {
    private let key = "sf_secret_key_9c2e"
    private var provisioner: ShadeformProvisioner {
        ShadeformProvisioner(providerID: "shadeform", baseURL: "http://127.0.0.1:9400/shadeform", apiKey: key)
    }

    private func launchError(_ fixture: String, status: Int) async throws -> ProviderError? {
        let transport = try Provisioning.transport(fixture, provider: "shadeform", status: status)
        return await Provisioning.error {
            _ = try await provisioner.launch(
                Provisioning.request(provider: "shadeform", native: "lambdalabs:A100_80G:us-east-1"),
                transport: transport)
        }
    }

    @Test("a launch POSTs cloud, region, type, name tag and the boot script as a startup script, and is not retried")
    func launchRequest() async throws {
        let transport = try Provisioning.transport("create", provider: "shadeform")
        let request = Provisioning.request(provider: "shadeform", native: "lambdalabs:A100_80G:us-east-1")
        let instance = try await provisioner.launch(request, transport: transport)
        #expect(
            instance
                == ProviderInstance(
                    nativeID: "d290f1ee-6c54-4b01-90e6-d701748f0851", nodeID: Provisioning.nodeID, status: .pending))

        let sent = try #require(transport.lastRequest)
        #expect(sent.method == .post)
        #expect(sent.url == "http://127.0.0.1:9400/shadeform/v1/instances/create")
        #expect(sent.headers.values(for: "X-API-KEY") == [key])
        #expect(sent.retry == .none)
        let body = try #require(sent.jsonBody)
        #expect(body["cloud"] as? String == "lambdalabs")
        #expect(body["region"] as? String == "us-east-1")
        #expect(body["shade_instance_type"] as? String == "A100_80G")
        #expect(body["shade_cloud"] as? Bool == true)
        #expect(body["name"] as? String == "gridbroker-node_01JD3XQ7")
        let launch = try #require(body["launch_configuration"] as? [String: Any])
        #expect(launch["type"] as? String == "script")
        let configuration = try #require(launch["script_configuration"] as? [String: Any])
        let script = try #require((configuration["base64_script"] as? String).flatMap { Data(base64Encoded: $0) })
        try Provisioning.expectBootScript(String(decoding: script, as: UTF8.self))
    }

    @Test("409, or a 400 that says out of stock, is a capacity refusal for the offer")
    func capacity() async throws {
        for status in [409, 400] {
            let error = try await launchError("create-out-of-stock", status: status)
            guard case .insufficientCapacity(scope: .offer, let message)? = error else {
                Issue.record("HTTP \(status): expected a capacity refusal, got \(String(describing: error))")
                continue
            }
            #expect(message.contains("out of stock"))
        }
    }

    @Test("Shadeform's own error message reaches the operator")
    func errorEnvelope() async throws {
        let error = try await launchError("create-bad-request", status: 400)
        #expect(error == .api(code: nil, message: "launch_configuration.docker_configuration.image is required"))
    }

    @Test("offer ids that are not Shadeform's are refused before any request")
    func foreignOfferID() async throws {
        let transport = try Provisioning.transport("create", provider: "shadeform")
        for native in [
            "A100_80G", "lambdalabs:us-east-1", "lambdalabs::us-east-1", ":A100:us-east-1", "lambdalabs:A100:",
        ] {
            let error = await Provisioning.error {
                _ = try await provisioner.launch(
                    Provisioning.request(provider: "shadeform", native: native), transport: transport)
            }
            guard case .misconfigured? = error else {
                Issue.record("\(native): expected misconfigured, got \(String(describing: error))")
                continue
            }
        }
        #expect(transport.requests.isEmpty)
    }

    @Test("listing keeps the named instances and maps their statuses")
    func listing() async throws {
        let transport = try Provisioning.transport("instances", provider: "shadeform")
        let instances = try await provisioner.instances(transport: transport)
        #expect(
            instances == [
                ProviderInstance(
                    nativeID: "d290f1ee-6c54-4b01-90e6-d701748f0851", nodeID: "node_01JD3XQ7", status: .running),
                ProviderInstance(
                    nativeID: "e391a2ff-7d65-4c12-a1f7-e812859a0962", nodeID: "node_01JD3XR2", status: .pending),
                ProviderInstance(
                    nativeID: "f4a2b300-8e76-4d23-b208-f923960b1a73", nodeID: "node_01JD3XR3", status: .pending),
                ProviderInstance(
                    nativeID: "a5b3c411-9f87-4e34-8319-0a34a71c2b84", nodeID: "node_01JD3XR4", status: .stopping),
                ProviderInstance(
                    nativeID: "b6c4d522-0a98-4f45-942a-1b45b82d3c95", nodeID: "node_01JD3XR5", status: .terminated),
            ])
        #expect(transport.lastRequest?.url == "http://127.0.0.1:9400/shadeform/v1/instances")
    }

    @Test("delete POSTs to the instance; 404 is already gone, other failures are errors")
    func terminate() async throws {
        let transport = try Provisioning.transport(
            [("create", 200), ("not-found", 404), ("create-bad-request", 500)], provider: "shadeform")
        try await provisioner.terminate(nativeID: "d290f1ee-6c54-4b01-90e6-d701748f0851", transport: transport)
        try await provisioner.terminate(nativeID: "d290f1ee-6c54-4b01-90e6-d701748f0851", transport: transport)
        let error = await Provisioning.error {
            try await provisioner.terminate(nativeID: "d290f1ee-6c54-4b01-90e6-d701748f0851", transport: transport)
        }
        #expect(error == .api(code: nil, message: "launch_configuration.docker_configuration.image is required"))
        #expect(transport.requests.map(\.method) == [.post, .post, .post])
        #expect(
            transport.requests.first?.url
                == "http://127.0.0.1:9400/shadeform/v1/instances/d290f1ee-6c54-4b01-90e6-d701748f0851/delete")
    }

    @Test("the API key never appears in an error, even when the provider echoes it")
    func keyRedacted() async throws {
        let transport = RecordedTransport(status: 401, body: #"{"error": "invalid api key \#(key)"}"#)
        let error = await Provisioning.error { _ = try await provisioner.instances(transport: transport) }
        let description = try #require(error).description
        #expect(description.contains("<redacted>"))
        #expect(!description.contains(key))
    }
}
