import BrokerCore
import CurlHTTP
import Foundation
import Providers
import Testing

@Suite("Vast.ai provisioning")
struct VastProvisionerTests {
    private let key = "vast_secret_key_3f9a"
    private var provisioner: VastProvisioner {
        VastProvisioner(providerID: "vast", baseURL: "http://127.0.0.1:9400/vast/", apiKey: key)
    }

    @Test("a spot launch PUTs the ask with the bid, image, env, disk, label and command, and is not retried")
    func spotLaunchRequest() async throws {
        let transport = try Provisioning.transport("create-ok", provider: "vast")
        let request = Provisioning.request(
            provider: "vast", native: "4211837:spot", market: .spot, bid: Money(microdollars: 13_519_000))
        let instance = try await provisioner.launch(request, transport: transport)
        #expect(instance == ProviderInstance(nativeID: "7835610", nodeID: Provisioning.nodeID, status: .pending))

        let sent = try #require(transport.lastRequest)
        #expect(sent.method == .put)
        #expect(sent.url == "http://127.0.0.1:9400/vast/api/v0/asks/4211837/")
        #expect(sent.headers.values(for: "Authorization") == ["Bearer \(key)"])
        #expect(sent.retry == .none)
        #expect(sent.timeout == .seconds(60))
        let body = try #require(sent.jsonBody)
        #expect(body["client_id"] as? String == "me")
        #expect(body["image"] as? String == "nvcr.io/nvidia/pytorch:24.05-py3")
        // The container learns the broker and its token from its environment, never its command line.
        #expect(
            body["env"] as? [String: String] == [
                "WANDB_PROJECT": "lora", "GRIDBROKER_URL": Provisioning.agent.brokerURL,
                "GRIDBROKER_AGENT_TOKEN": Provisioning.agentToken, "GRIDBROKER_AGENT_INTERVAL": "10.0",
            ])
        #expect(body["disk"] as? Int == 200)
        #expect(body["label"] as? String == "gridbroker-node_01JD3XQ7")
        #expect(body["runtype"] as? String == "args")
        let args = try #require(body["args"] as? [String])
        #expect(args == NodeBoot.containerCommand(request))
        #expect(Array(args.suffix(4)) == ["torchrun", "train.py", "--note", "it's"])
        #expect(args.allSatisfy { !$0.contains(Provisioning.agentToken) })
        #expect((body["onstart"] as? String)?.hasPrefix("sh -c 'set -eu") == true)
        #expect((body["onstart"] as? String)?.hasSuffix(#"gridbroker-node torchrun train.py --note 'it'\''s'"#) == true)
        #expect(sent.bodyString?.contains(#""price":13.519"#) == true, "the bid, an exact decimal")
    }

    @Test("an on-demand launch sends price null")
    func onDemandLaunchHasNoBid() async throws {
        let transport = try Provisioning.transport("create-ok", provider: "vast")
        _ = try await provisioner.launch(
            Provisioning.request(provider: "vast", native: "4211837"), transport: transport)
        let sent = try #require(transport.lastRequest)
        #expect(sent.url.hasSuffix("/api/v0/asks/4211837/"))
        #expect(sent.bodyString?.contains(#""price":null"#) == true)
    }

    @Test("an ask that is gone is a capacity refusal for the offer")
    func noSuchAsk() async throws {
        let transport = try Provisioning.transport("create-no-such-ask", provider: "vast", status: 404)
        let error = await Provisioning.error {
            _ = try await provisioner.launch(
                Provisioning.request(provider: "vast", native: "4211837"), transport: transport)
        }
        #expect(
            error
                == .insufficientCapacity(
                    scope: .offer, message: "no_such_ask: Instance type by id 4211837 is not available."))
    }

    @Test("a refusal in a 200 answer with success false is read too")
    func refusalWithSuccessStatus() async throws {
        let transport = try Provisioning.transport("create-no-such-ask", provider: "vast", status: 200)
        let error = await Provisioning.error {
            _ = try await provisioner.launch(
                Provisioning.request(provider: "vast", native: "4211837"), transport: transport)
        }
        guard case .insufficientCapacity(scope: .offer, _)? = error else {
            Issue.record("expected a capacity refusal, got \(String(describing: error))")
            return
        }
    }

    @Test("Vast's own error message reaches the operator")
    func errorEnvelope() async throws {
        let transport = try Provisioning.transport("create-invalid-args", provider: "vast", status: 400)
        let error = await Provisioning.error {
            _ = try await provisioner.launch(
                Provisioning.request(provider: "vast", native: "4211837"), transport: transport)
        }
        #expect(error == .api(code: "invalid_args", message: "disk: Ensure this value is greater than or equal to 8."))
    }

    @Test(
        "offer ids that are not Vast's are refused before any request", arguments: ["abc", "4211837:bid", "", "1:2:3"])
    func foreignOfferID(native: String) async throws {
        let transport = try Provisioning.transport("create-ok", provider: "vast")
        let error = await Provisioning.error {
            _ = try await provisioner.launch(
                Provisioning.request(provider: "vast", native: native), transport: transport)
        }
        guard case .misconfigured(let message)? = error else {
            Issue.record("expected misconfigured, got \(String(describing: error))")
            return
        }
        #expect(message.contains("not a Vast.ai offer id"))
        #expect(transport.requests.isEmpty)
    }

    @Test("listing keeps the tagged instances with their statuses and drops the others")
    func listing() async throws {
        let transport = try Provisioning.transport("instances", provider: "vast")
        let instances = try await provisioner.instances(transport: transport)
        #expect(
            instances == [
                ProviderInstance(nativeID: "7835610", nodeID: "node_01JD3XQ7", status: .running),
                ProviderInstance(nativeID: "7835611", nodeID: "node_01JD3XR2", status: .pending),
                ProviderInstance(nativeID: "7835612", nodeID: "node_01JD3XR3", status: .pending),
                ProviderInstance(nativeID: "7835613", nodeID: "node_01JD3XR4", status: .stopping),
            ])
        let sent = try #require(transport.lastRequest)
        #expect(sent.method == .get)
        #expect(sent.path == "/vast/api/v1/instances/")
        #expect(sent.queryItems["limit"] == "25")
        #expect(sent.headers.values(for: "Authorization") == ["Bearer \(key)"])
    }

    @Test("terminate DELETEs the instance; an unknown instance is already gone")
    func terminate() async throws {
        let transport = try Provisioning.transport([("destroy-ok", 200), ("destroy-unknown", 404)], provider: "vast")
        try await provisioner.terminate(nativeID: "7835610", transport: transport)
        try await provisioner.terminate(nativeID: "7835610", transport: transport)
        #expect(transport.requests.map(\.method) == [.delete, .delete])
        #expect(transport.requests.first?.url == "http://127.0.0.1:9400/vast/api/v0/instances/7835610/")
    }

    @Test("a 404 that is not Vast's 'no such instance' is still an error")
    func otherNotFound() async throws {
        let transport = RecordedTransport(status: 404, body: "<html>Not Found</html>")
        let error = await Provisioning.error {
            try await provisioner.terminate(nativeID: "7835610", transport: transport)
        }
        #expect(error == .http(status: 404, snippet: "<html>Not Found</html>"))
    }

    @Test("the API key never appears in an error, even when the provider echoes it")
    func keyRedacted() async throws {
        let body = #"{"success": false, "error": "auth_error", "msg": "Invalid user key \#(key)"}"#
        let transport = RecordedTransport(status: 400, body: body)
        let error = await Provisioning.error { _ = try await provisioner.instances(transport: transport) }
        let description = try #require(error).description
        #expect(description.contains("<redacted>"))
        #expect(!description.contains(key))
    }
}
