import BrokerCore
import CurlHTTP
import Foundation
import Providers
import Testing

@Suite("Lambda Cloud provisioning")
struct LambdaProvisionerTests {
    private let key = "secret_lambda_key_77"
    private var provisioner: LambdaProvisioner {
        LambdaProvisioner(
            providerID: "lambda", baseURL: "http://127.0.0.1:9400/lambda", apiKey: key, sshKeyNames: ["broker"])
    }

    private func launchError(_ fixture: String, status: Int) async throws -> ProviderError? {
        let transport = try Provisioning.transport(fixture, provider: "lambda", status: status)
        return await Provisioning.error {
            _ = try await provisioner.launch(
                Provisioning.request(provider: "lambda", native: "gpu_8x_h100_sxm5:us-east-1"), transport: transport)
        }
    }

    @Test("a launch POSTs the region, type, SSH keys, name tag and boot script, and is not retried")
    func launchRequest() async throws {
        let transport = try Provisioning.transport("launch", provider: "lambda")
        let request = Provisioning.request(provider: "lambda", native: "gpu_8x_h100_sxm5:us-east-1")
        let instance = try await provisioner.launch(request, transport: transport)
        #expect(
            instance
                == ProviderInstance(
                    nativeID: "0920582c7ff041399e34823a0be62549", nodeID: Provisioning.nodeID, status: .pending))

        let sent = try #require(transport.lastRequest)
        #expect(sent.method == .post)
        #expect(sent.url == "http://127.0.0.1:9400/lambda/api/v1/instance-operations/launch")
        #expect(sent.headers.values(for: "Authorization") == ["Bearer \(key)"])
        #expect(sent.retry == .none)
        let body = try #require(sent.jsonBody)
        #expect(body["region_name"] as? String == "us-east-1")
        #expect(body["instance_type_name"] as? String == "gpu_8x_h100_sxm5")
        #expect(body["ssh_key_names"] as? [String] == ["broker"])
        #expect(body["quantity"] as? Int == 1)
        #expect(body["name"] as? String == "gridbroker-node_01JD3XQ7")
        let script = try #require(body["user_data"] as? String)
        try Provisioning.expectBootScript(script)
    }

    @Test("insufficient capacity is refused for the region; a quota for the provider")
    func capacity() async throws {
        let region = try await launchError("launch-insufficient-capacity", status: 400)
        #expect(
            region
                == .insufficientCapacity(
                    scope: .region,
                    message:
                        "instance-operations/launch/insufficient-capacity: Not enough capacity to fulfill launch request."
                ))
        let quota = try await launchError("launch-quota-exceeded", status: 400)
        #expect(quota == .insufficientCapacity(scope: .provider, message: "global/quota-exceeded: Quota exceeded."))
    }

    @Test("Lambda's own error message reaches the operator")
    func errorEnvelope() async throws {
        let error = try await launchError("launch-invalid-parameters", status: 400)
        #expect(error == .api(code: "global/invalid-parameters", message: "Invalid request parameters."))
    }

    @Test("offer ids that are not Lambda's, or no SSH key, are refused before any request")
    func refusedBeforeSending() async throws {
        let transport = try Provisioning.transport("launch", provider: "lambda")
        for native in ["gpu_8x_h100_sxm5", "gpu_8x_h100_sxm5:us-east-1:spot", ":us-east-1"] {
            let error = await Provisioning.error {
                _ = try await provisioner.launch(
                    Provisioning.request(provider: "lambda", native: native), transport: transport)
            }
            guard case .misconfigured? = error else {
                Issue.record("\(native): expected misconfigured, got \(String(describing: error))")
                continue
            }
        }
        let keyless = LambdaProvisioner(providerID: "lambda", baseURL: "http://x", apiKey: key, sshKeyNames: [])
        let error = await Provisioning.error {
            _ = try await keyless.launch(
                Provisioning.request(provider: "lambda", native: "gpu_8x_h100_sxm5:us-east-1"), transport: transport)
        }
        #expect(error == .misconfigured("no Lambda Cloud SSH key names configured: a launch needs one"))
        #expect(transport.requests.isEmpty)
    }

    @Test("listing keeps the named instances and maps their statuses")
    func listing() async throws {
        let transport = try Provisioning.transport("instances", provider: "lambda")
        let instances = try await provisioner.instances(transport: transport)
        #expect(
            instances == [
                ProviderInstance(
                    nativeID: "0920582c7ff041399e34823a0be62549", nodeID: "node_01JD3XQ7", status: .running),
                ProviderInstance(
                    nativeID: "1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6", nodeID: "node_01JD3XR2", status: .pending),
                ProviderInstance(
                    nativeID: "2b3c4d5e6f7a48b9c0d1e2f3a4b5c6d7", nodeID: "node_01JD3XR3", status: .stopping),
                ProviderInstance(
                    nativeID: "3c4d5e6f7a8b49c0d1e2f3a4b5c6d7e8", nodeID: "node_01JD3XR4", status: .stopping),
                ProviderInstance(
                    nativeID: "4d5e6f7a8b9c40d1e2f3a4b5c6d7e8f9", nodeID: "node_01JD3XR5", status: .terminated),
            ])
        let sent = try #require(transport.lastRequest)
        #expect(sent.method == .get)
        #expect(sent.url == "http://127.0.0.1:9400/lambda/api/v1/instances")
    }

    @Test("terminate POSTs the instance id; an instance that does not exist is already gone")
    func terminate() async throws {
        let transport = try Provisioning.transport(
            [("terminate", 200), ("terminate-not-found", 404)], provider: "lambda")
        try await provisioner.terminate(nativeID: "0920582c7ff041399e34823a0be62549", transport: transport)
        try await provisioner.terminate(nativeID: "0920582c7ff041399e34823a0be62549", transport: transport)
        let sent = try #require(transport.lastRequest)
        #expect(sent.url == "http://127.0.0.1:9400/lambda/api/v1/instance-operations/terminate")
        #expect(sent.jsonBody?["instance_ids"] as? [String] == ["0920582c7ff041399e34823a0be62549"])
        #expect(transport.requests.count == 2)
    }

    @Test("the API key never appears in an error, even when the provider echoes it")
    func keyRedacted() async throws {
        let body = #"{"error": {"code": "global/invalid-api-key", "message": "API key \#(key) was invalid."}}"#
        let transport = RecordedTransport(status: 403, body: body)
        let error = await Provisioning.error { _ = try await provisioner.instances(transport: transport) }
        let description = try #require(error).description
        #expect(description.contains("<redacted>"))
        #expect(!description.contains(key))
    }
}
