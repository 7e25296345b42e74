import BrokerCore
import CurlHTTP
import Foundation

/// Shadeform instances: create one on the cloud an offer names, list the account's instances,
/// delete one.
///
/// - create: `POST {base}/v1/instances/create` with the cloud, region and shade instance type the
///   offer id names (`<cloud>:<shade instance type>:<region>`, as ``ShadeformPricingSource``
///   writes it), the name tag and, as a `script` launch configuration, the node's boot script
///   (``NodeBoot/virtualMachineScript(_:)``); the answer is `{"id": ...}`.
///   HTTP 409, or a 400 that says the type is out of stock, is a capacity refusal for that offer.
/// - list: `GET {base}/v1/instances` → `{"instances": [...]}`, tagged by `name`.
/// - delete: `POST {base}/v1/instances/<id>/delete`; 404 means already gone.
///
/// Auth is the `X-API-KEY` header.
public struct ShadeformProvisioner: InstanceProvisioner {
    /// `creating`/`pending_provider`/`pending` → pending, `active` → running, `error`/`deleting` →
    /// stopping, `deleted` → terminated.
    static let statuses: [String: InstanceStatus] = [
        "creating": .pending, "pending_provider": .pending, "pending": .pending, "active": .running,
        "error": .stopping, "deleting": .stopping, "deleted": .terminated,
    ]

    public let providerID: String
    /// The API root without a trailing slash, e.g. `https://api.shadeform.ai`.
    public let baseURL: String
    public let apiKey: String?

    public init(providerID: String, baseURL: String, apiKey: String?) {
        self.providerID = providerID
        self.baseURL = ProviderJSON.trimmedBase(baseURL)
        self.apiKey = apiKey
    }

    public func launch(_ request: LaunchRequest, transport: any HTTPTransport) async throws(ProviderError)
        -> ProviderInstance
    {
        do throws(ProviderError) {
            let body = try await transport.fetchBody(try launchRequest(request), errors: ShadeformErrorEnvelope.self) {
                error, status in
                error.asCapacityRefusal { _, message in Self.isCapacityRefusal(status: status, message: message) }
            }
            let answer = try ProviderJSON.decode(ShadeformCreated.self, from: body)
            guard let id = answer.id, !id.isEmpty else { throw .malformed("missing 'id'") }
            return ProviderInstance(nativeID: id, nodeID: request.nodeID, status: .pending)
        } catch {
            throw error.redacting([ProviderJSON.usableKey(apiKey) ?? ""])
        }
    }

    /// 409, or 400 with a message about stock or capacity, refuses the offer.
    static func isCapacityRefusal(status: Int, message: String) -> CapacityScope? {
        if status == 409 { return .offer }
        let lowered = message.lowercased()
        let saysSo = ["out of stock", "capacity", "not available", "unavailable"].contains { lowered.contains($0) }
        return status == 400 && saysSo ? .offer : nil
    }

    /// The `POST /v1/instances/create` for `request`.
    func launchRequest(_ request: LaunchRequest) throws(ProviderError) -> HTTPRequest {
        let key = try ProvisioningHTTP.requiredKey(apiKey, provider: "Shadeform")
        let native = try ProvisioningHTTP.nativeOfferID(request, providerID: providerID)
        guard let first = native.firstIndex(of: ":"), let last = native.lastIndex(of: ":"), first < last,
            native.index(after: first) < last, last < native.index(before: native.endIndex),
            first > native.startIndex
        else {
            throw ProvisioningHTTP.unknownOffer(
                native, provider: "Shadeform", expected: "'<cloud>:<shade instance type>:<region>'")
        }
        let body = ShadeformCreateBody(
            cloud: String(native[..<first]), region: String(native[native.index(after: last)...]),
            shadeInstanceType: String(native[native.index(after: first)..<last]),
            name: InstanceTag.name(for: request.nodeID),
            launchConfiguration: .init(
                scriptConfiguration: .init(
                    base64Script: Data(NodeBoot.virtualMachineScript(request).utf8).base64EncodedString())))
        return ProvisioningHTTP.request(
            .post, "\(baseURL)/v1/instances/create", auth: ("X-API-KEY", key),
            body: try ProvisioningHTTP.encode(body), isLaunch: true)
    }

    public func instances(transport: any HTTPTransport) async throws(ProviderError) -> [ProviderInstance] {
        do throws(ProviderError) {
            let key = try ProvisioningHTTP.requiredKey(apiKey, provider: "Shadeform")
            let request = ProvisioningHTTP.request(.get, "\(baseURL)/v1/instances", auth: ("X-API-KEY", key))
            let body = try await transport.fetchBody(request, errors: ShadeformErrorEnvelope.self)
            let answer = try ProviderJSON.decode(ShadeformInstancesAnswer.self, from: body)
            guard let records = answer.instances else { throw .malformed("missing 'instances'") }
            return records.compactMap { $0.tagged(statuses: Self.statuses) }
        } catch {
            throw error.redacting([ProviderJSON.usableKey(apiKey) ?? ""])
        }
    }

    public func terminate(nativeID: String, transport: any HTTPTransport) async throws(ProviderError) {
        do throws(ProviderError) {
            let key = try ProvisioningHTTP.requiredKey(apiKey, provider: "Shadeform")
            guard !nativeID.isEmpty, !nativeID.contains(where: { "/?#% ".contains($0) }) else {
                throw .misconfigured("'\(nativeID)' is not a Shadeform instance id")
            }
            let request = ProvisioningHTTP.request(
                .post, "\(baseURL)/v1/instances/\(nativeID)/delete", auth: ("X-API-KEY", key))
            _ = try await transport.fetchBody(request, errors: ShadeformErrorEnvelope.self) { error, status in
                status == 404 ? nil : error
            }
        } catch {
            throw error.redacting([ProviderJSON.usableKey(apiKey) ?? ""])
        }
    }
}

private struct ShadeformCreateBody: Encodable {
    struct ScriptConfiguration: Encodable {
        var base64Script: String

        private enum CodingKeys: String, CodingKey {
            case base64Script = "base64_script"
        }
    }

    /// A startup script Shadeform runs on the virtual machine once it is active.
    struct LaunchConfiguration: Encodable {
        var type = "script"
        var scriptConfiguration: ScriptConfiguration

        private enum CodingKeys: String, CodingKey {
            case type
            case scriptConfiguration = "script_configuration"
        }
    }

    var cloud: String
    var region: String
    var shadeInstanceType: String
    var shadeCloud = true
    var name: String
    var launchConfiguration: LaunchConfiguration

    private enum CodingKeys: String, CodingKey {
        case cloud, region, name
        case shadeInstanceType = "shade_instance_type"
        case shadeCloud = "shade_cloud"
        case launchConfiguration = "launch_configuration"
    }
}

private struct ShadeformCreated: Decodable {
    var id: String?
}

private struct ShadeformInstancesAnswer: Decodable {
    var instances: [ListedInstance]?
}
