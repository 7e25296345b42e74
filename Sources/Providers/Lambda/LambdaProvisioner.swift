import BrokerCore
import CurlHTTP
import Foundation

/// Lambda Cloud instances: launch one, list the account's instances, terminate one.
///
/// - launch: `POST {base}/api/v1/instance-operations/launch` with the region and type the offer id
///   names (`<instance type>:<region>`, as ``LambdaPricingSource`` writes it), the SSH keys, the
///   name tag and, as `user_data`, the node's boot script (``NodeBoot/virtualMachineScript(_:)``:
///   Lambda starts a virtual machine, not a container); the answer is
///   `{"data": {"instance_ids": [...]}}`.
///   `instance-operations/launch/insufficient-capacity` is a capacity refusal for the region.
/// - list: `GET {base}/api/v1/instances` → `{"data": [...]}`, tagged by `name`.
/// - terminate: `POST {base}/api/v1/instance-operations/terminate` with `instance_ids`;
///   `global/object-does-not-exist` means already gone.
///
/// Auth is `Authorization: Bearer <key>`.
public struct LambdaProvisioner: InstanceProvisioner {
    /// `booting` → pending, `active` → running, `unhealthy`/`terminating` → stopping,
    /// `terminated`/`preempted` → terminated.
    static let statuses: [String: InstanceStatus] = [
        "booting": .pending, "active": .running, "unhealthy": .stopping, "terminating": .stopping,
        "terminated": .terminated, "preempted": .terminated,
    ]

    public let providerID: String
    /// The API root without a trailing slash, e.g. `https://cloud.lambda.ai`.
    public let baseURL: String
    public let apiKey: String?
    /// The names of the account's SSH keys to install (Lambda requires exactly one today).
    public let sshKeyNames: [String]

    public init(providerID: String, baseURL: String, apiKey: String?, sshKeyNames: [String]) {
        self.providerID = providerID
        self.baseURL = ProviderJSON.trimmedBase(baseURL)
        self.apiKey = apiKey
        self.sshKeyNames = sshKeyNames
    }

    /// Error codes that refuse a launch for lack of capacity, and how far the refusal reaches.
    static let capacityScopes: [String: CapacityScope] = [
        "instance-operations/launch/insufficient-capacity": .region,
        "global/quota-exceeded": .provider,
    ]

    public func launch(_ request: LaunchRequest, transport: any HTTPTransport) async throws(ProviderError)
        -> ProviderInstance
    {
        do throws(ProviderError) {
            let body = try await transport.fetchBody(try launchRequest(request), errors: LambdaErrorEnvelope.self) {
                error, _ in
                error.asCapacityRefusal { code, _ in code.flatMap { Self.capacityScopes[$0] } }
            }
            let answer = try ProviderJSON.decode(LambdaLaunchAnswer.self, from: body)
            guard let id = answer.data?.instanceIDs?.first else { throw .malformed("missing 'data.instance_ids'") }
            return ProviderInstance(nativeID: id, nodeID: request.nodeID, status: .pending)
        } catch {
            throw error.redacting([ProviderJSON.usableKey(apiKey) ?? ""])
        }
    }

    /// The `POST /api/v1/instance-operations/launch` for `request`.
    func launchRequest(_ request: LaunchRequest) throws(ProviderError) -> HTTPRequest {
        let key = try ProvisioningHTTP.requiredKey(apiKey, provider: "Lambda Cloud")
        guard !sshKeyNames.isEmpty else {
            throw .misconfigured("no Lambda Cloud SSH key names configured: a launch needs one")
        }
        let native = try ProvisioningHTTP.nativeOfferID(request, providerID: providerID)
        let parts = native.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw ProvisioningHTTP.unknownOffer(
                native, provider: "Lambda Cloud", expected: "'<instance type>:<region>'")
        }
        let body = LambdaLaunchBody(
            regionName: String(parts[1]), instanceTypeName: String(parts[0]), sshKeyNames: sshKeyNames,
            quantity: 1, name: InstanceTag.name(for: request.nodeID), userData: NodeBoot.virtualMachineScript(request))
        return ProvisioningHTTP.request(
            .post, "\(baseURL)/api/v1/instance-operations/launch", auth: auth(key),
            body: try ProvisioningHTTP.encode(body), isLaunch: true)
    }

    public func instances(transport: any HTTPTransport) async throws(ProviderError) -> [ProviderInstance] {
        do throws(ProviderError) {
            let key = try ProvisioningHTTP.requiredKey(apiKey, provider: "Lambda Cloud")
            let request = ProvisioningHTTP.request(.get, "\(baseURL)/api/v1/instances", auth: auth(key))
            let body = try await transport.fetchBody(request, errors: LambdaErrorEnvelope.self)
            let answer = try ProviderJSON.decode(LambdaInstancesAnswer.self, from: body)
            guard let records = answer.data else { throw .malformed("missing 'data'") }
            return records.compactMap { $0.tagged(statuses: Self.statuses) }
        } catch {
            throw error.redacting([ProviderJSON.usableKey(apiKey) ?? ""])
        }
    }

    public func terminate(nativeID: String, transport: any HTTPTransport) async throws(ProviderError) {
        do throws(ProviderError) {
            let key = try ProvisioningHTTP.requiredKey(apiKey, provider: "Lambda Cloud")
            let request = ProvisioningHTTP.request(
                .post, "\(baseURL)/api/v1/instance-operations/terminate", auth: auth(key),
                body: try ProvisioningHTTP.encode(["instance_ids": [nativeID]]))
            _ = try await transport.fetchBody(request, errors: LambdaErrorEnvelope.self) { error, _ in
                if case .api(code: "global/object-does-not-exist", _) = error { return nil }
                return error
            }
        } catch {
            throw error.redacting([ProviderJSON.usableKey(apiKey) ?? ""])
        }
    }

    private func auth(_ key: String) -> (name: String, value: String) {
        ("Authorization", "Bearer \(key)")
    }
}

private struct LambdaLaunchBody: Encodable {
    var regionName: String
    var instanceTypeName: String
    var sshKeyNames: [String]
    var quantity: Int
    var name: String
    var userData: String

    private enum CodingKeys: String, CodingKey {
        case regionName = "region_name"
        case instanceTypeName = "instance_type_name"
        case sshKeyNames = "ssh_key_names"
        case quantity, name
        case userData = "user_data"
    }
}

private struct LambdaLaunchAnswer: Decodable {
    struct Launched: Decodable {
        var instanceIDs: [String]?

        private enum CodingKeys: String, CodingKey {
            case instanceIDs = "instance_ids"
        }
    }

    var data: Launched?
}

private struct LambdaInstancesAnswer: Decodable {
    var data: [ListedInstance]?
}
