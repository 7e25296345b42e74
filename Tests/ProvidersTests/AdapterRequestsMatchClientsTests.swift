import BrokerCore
import CurlHTTP
import Foundation
import Testing

@testable import Providers

/// The adapters' requests against what the providers' official clients send
/// (`Fixtures/recorded/`): the same method, path, query, authentication and body fields, so a
/// provider that serves its own clients serves the broker too.
@Suite("Adapter requests match the providers' own clients")
struct AdapterRequestsMatchClientsTests {
    /// One request a client sent, as recorded.
    struct Recorded {
        var method: String
        var subpath: String
        var rawQuery: String
        var headers: [String: String]
        var body: Any?

        /// The `index`th request of `Fixtures/recorded/<operation>.json`.
        init(_ operation: String, request index: Int = 0) throws {
            let file = try JSONSerialization.jsonObject(with: Data(Fixture.bytes(operation, provider: "recorded")))
            let requests = try #require((file as? [String: Any])?["requests"] as? [[String: Any]])
            let request = try #require(requests.indices.contains(index) ? requests[index] : nil)
            method = try #require(request["method"] as? String)
            subpath = try #require(request["subpath"] as? String)
            rawQuery = request["raw_query"] as? String ?? ""
            headers = request["headers"] as? [String: String] ?? [:]
            body = request["body"].flatMap { $0 is NSNull ? nil : $0 }
        }

        var jsonBody: [String: Any]? { body as? [String: Any] }
    }

    /// Checks `sent` has the recording's method, path below `base`, query and bearer key.
    private func expectSame(_ sent: HTTPRequest, as recorded: Recorded, base: String, key: String) throws {
        #expect(sent.method.rawValue == recorded.method)
        let url = try #require(sent.url.hasPrefix(base) ? String(sent.url.dropFirst(base.count)) : nil)
        let parts = url.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        #expect(String(parts[0]) == recorded.subpath)
        #expect((parts.count > 1 ? String(parts[1]) : "") == recorded.rawQuery)
        #expect(recorded.headers["Authorization"] == "Bearer <redacted>")
        #expect(sent.headers.values(for: "Authorization") == ["Bearer \(key)"])
        if recorded.body != nil {
            #expect(sent.headers.values(for: "Content-Type").first?.hasPrefix("application/json") == true)
        }
    }

    // MARK: Vast.ai

    private let vast = VastProvisioner(providerID: "vast", baseURL: "http://sim/vast", apiKey: "vast-key")

    @Test("Vast: the instance list is the CLI's v1 query, byte for byte, and follows next_token")
    func vastList() async throws {
        let first = try vast.listRequest(after: nil)
        try expectSame(first, as: try Recorded("vast-list"), base: "http://sim/vast", key: "vast-key")
        try expectSame(first, as: try Recorded("vast_sdk-list"), base: "http://sim/vast", key: "vast-key")

        let transport = RecordedTransport(replies: [
            .response(
                HTTPResponse(
                    status: 200,
                    body: Array(
                        #"{"instances":[{"id":7,"label":"gridbroker-node_a","actual_status":"running"}],"next_token":"c2Vjb25k/+="}"#
                            .utf8))),
            .response(
                HTTPResponse(
                    status: 200,
                    body: Array(
                        #"{"instances":[{"id":9,"label":"gridbroker-node_b"},{"id":11,"label":"someone else's"}],"next_token":null}"#
                            .utf8))),
        ])
        let listed = try await vast.instances(transport: transport)
        #expect(listed.map(\.nodeID) == ["node_a", "node_b"])
        #expect(transport.requests.count == 2)
        #expect(transport.requests[1].url.hasSuffix("&limit=25&after_token=c2Vjb25k%2F%2B%3D"))
    }

    @Test("Vast: a server that repeats its next_token is an error, not an endless loop")
    func vastRepeatedToken() async throws {
        let transport = RecordedTransport(
            status: 200, body: #"{"instances":[],"next_token":"same"}"#)
        await #expect(throws: ProviderError.self) { try await vast.instances(transport: transport) }
        #expect(transport.requests.count == 2)
    }

    @Test("Vast: a launch sends every field the CLI sends that the broker uses, a disk size always")
    func vastCreate() async throws {
        let recorded = try Recorded("vast-create")
        let transport = try Provisioning.transport("create-ok", provider: "vast")
        _ = try await vast.launch(
            Provisioning.request(provider: "vast", native: "21000001", diskGB: nil), transport: transport)
        let sent = try #require(transport.lastRequest)
        try expectSame(sent, as: recorded, base: "http://sim/vast", key: "vast-key")
        let ours = try #require(sent.jsonBody)
        let theirs = try #require(recorded.jsonBody)
        for field in ["client_id", "image", "env", "price", "disk", "label", "onstart", "runtype"] {
            #expect(theirs.keys.contains(field), "the CLI sends \(field)")
            #expect(ours.keys.contains(field), "the adapter sends \(field)")
        }
        #expect(ours["client_id"] as? String == theirs["client_id"] as? String)
        #expect(ours["disk"] as? Int == VastProvisioner.defaultDiskGB)
    }

    @Test("Vast: destroy is a DELETE with an empty JSON object, as the CLI sends it")
    func vastDestroy() async throws {
        let recorded = try Recorded("vast-destroy")
        let transport = RecordedTransport(status: 200, body: #"{"success":true}"#)
        try await vast.terminate(nativeID: "30000001", transport: transport)
        let sent = try #require(transport.lastRequest)
        try expectSame(sent, as: recorded, base: "http://sim/vast", key: "vast-key")
        #expect(sent.bodyString == "{}")
        #expect((recorded.jsonBody ?? ["not": "empty"]).isEmpty)
    }

    // MARK: RunPod

    private let runpod = RunPodProvisioner(providerID: "runpod", baseURL: "http://sim/runpod", apiKey: "rpa_KEY")

    @Test(
        "RunPod: every call is a POST of {query} to /graphql with the key in Authorization, never in the URL",
        arguments: ["runpod-list", "runpod-create", "runpod-destroy"])
    func runpodEnvelope(operation: String) async throws {
        let recorded = try Recorded(operation)
        let transport = RecordedTransport(
            status: 200, body: #"{"data":{"myself":{"pods":[]},"podTerminate":null}}"#)
        _ = try await runpod.instances(transport: transport)
        try await runpod.terminate(nativeID: "z9v8c0yk65h554", transport: transport)
        for sent in transport.requests {
            try expectSame(sent, as: recorded, base: "http://sim/runpod", key: "rpa_KEY")
            #expect(!sent.url.contains("rpa_KEY"))
            #expect(sent.jsonBody.map { Array($0.keys) } == ["query"], "no variables, as the SDK sends")
        }
        #expect(recorded.jsonBody.map { Array($0.keys) } == ["query"])
    }

    @Test("RunPod: terminate is the SDK's podTerminate mutation with no selection")
    func runpodTerminate() async throws {
        let recorded = try Recorded("runpod-destroy")
        let transport = RecordedTransport(status: 200, body: #"{"data":{"podTerminate":null}}"#)
        try await runpod.terminate(nativeID: "z9v8c0yk65h554", transport: transport)
        let squeeze = { (text: String) in text.filter { !$0.isWhitespace } }
        let theirs = try #require(recorded.jsonBody?["query"] as? String)
        let ours = try #require(transport.lastRequest?.jsonBody?["query"] as? String)
        #expect(squeeze(ours) == squeeze(theirs))
    }

    // MARK: Lambda

    private let lambda = LambdaProvisioner(
        providerID: "lambda", baseURL: "http://sim/lambda", apiKey: "secret_lambda", sshKeyNames: ["gridbroker-probe"])

    @Test("Lambda: launch, list and terminate are lai's requests, with lai's body fields")
    func lambdaRequests() async throws {
        let launch = try Recorded("lambda-create", request: 2)
        let launched = try Provisioning.transport("launch", provider: "lambda")
        _ = try await lambda.launch(
            Provisioning.request(provider: "lambda", native: "gpu_1x_a10:us-east-1"), transport: launched)
        let sent = try #require(launched.lastRequest)
        try expectSame(sent, as: launch, base: "http://sim/lambda", key: "secret_lambda")
        let ours = try #require(sent.jsonBody)
        for (field, value) in try #require(launch.jsonBody) {
            #expect(ours.keys.contains(field), "lai sends \(field)")
            #expect((ours[field] is [Any]) == (value is [Any]) && (ours[field] is String) == (value is String))
        }

        let listed = try Provisioning.transport("instances-full", provider: "lambda")
        _ = try await lambda.instances(transport: listed)
        try expectSame(
            try #require(listed.lastRequest), as: try Recorded("lambda-list"), base: "http://sim/lambda",
            key: "secret_lambda")

        let terminate = try Recorded("lambda-destroy", request: 1)
        let terminated = try Provisioning.transport("terminate", provider: "lambda")
        try await lambda.terminate(nativeID: "8e117b5f2a8faf242c0dd09a10fc3629", transport: terminated)
        let sentTerminate = try #require(terminated.lastRequest)
        try expectSame(sentTerminate, as: terminate, base: "http://sim/lambda", key: "secret_lambda")
        #expect(
            sentTerminate.jsonBody?["instance_ids"] as? [String] == terminate.jsonBody?["instance_ids"] as? [String])
    }

    @Test("Lambda: the full instance object of today's API (actions, firewall rulesets, tags) is read")
    func lambdaFullInstance() async throws {
        let transport = try Provisioning.transport("instances-full", provider: "lambda")
        let listed = try await lambda.instances(transport: transport)
        #expect(
            listed == [
                ProviderInstance(
                    nativeID: "0920582c7ff041399e34823a0be62549", nodeID: "node_01JD3XQ7", status: .running),
                ProviderInstance(
                    nativeID: "8e117b5f2a8faf242c0dd09a10fc3629", nodeID: "node_01JD3XR9", status: .pending),
            ])
    }
}
