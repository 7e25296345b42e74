import BrokerCore
import CurlHTTP
import Foundation

/// RunPod pods through the GraphQL API: deploy one, list the account's pods, terminate one.
///
/// - launch: `podFindAndDeployOnDemand(input: {...})`, or for a spot offer (native id ending in
///   `:spot`) `podRentInterruptable(input: {bidPerGpu, ...})`, with the GPU type, cloud and count
///   the offer id names (`<gpuTypeId>:<secure|community>:<count>[:spot]`, as
///   ``RunPodPricingSource`` writes it). "There are no longer any instances available" is a
///   capacity refusal for that offer.
/// - list: `myself { pods { id name desiredStatus runtime { uptimeInSeconds } } }`, tagged by `name`.
/// - terminate: `podTerminate(input: {podId})`; "pod not found" means already gone.
///
/// The key travels in the URL: no error this provisioner throws contains it.
public struct RunPodProvisioner: InstanceProvisioner {
    public let providerID: String
    /// The API root without a trailing slash, e.g. `https://api.runpod.io`.
    public let baseURL: String
    public let apiKey: String?
    /// What a spot bid adds to the ask, in millionths.
    public let bidMarginPPM: Int64

    public init(providerID: String, baseURL: String, apiKey: String?, bidMarginPPM: Int64 = SpotBid.defaultMarginPPM) {
        self.providerID = providerID
        self.baseURL = ProviderJSON.trimmedBase(baseURL)
        self.apiKey = apiKey
        self.bidMarginPPM = bidMarginPPM
    }

    /// A spot (interruptible) pod pays its bid.
    public func bidStyle(for offer: Offer) -> SpotBid.Style {
        offer.market == .spot ? .bid(marginPPM: bidMarginPPM) : .fixed
    }

    /// The pods query sent by ``instances(transport:)``.
    static let podsQuery = "query Pods { myself { pods { id name desiredStatus runtime { uptimeInSeconds } } } }"

    public func launch(_ request: LaunchRequest, transport: any HTTPTransport) async throws(ProviderError)
        -> ProviderInstance
    {
        do throws(ProviderError) {
            let (http, field) = try launchRequest(request)
            let body = try await transport.fetchBody(http, errors: RunPodErrors.self)
            let data: [String: RunPodPod?]
            do throws(ProviderError) {
                data = try RunPodGraphQL.data([String: RunPodPod?].self, from: body)
            } catch {
                throw error.asCapacityRefusal { _, message in
                    message.lowercased().contains("no longer any instances available") ? .offer : nil
                }
            }
            guard let pod = data[field] ?? nil, let id = pod.id else { throw .malformed("missing 'data.\(field).id'") }
            return ProviderInstance(nativeID: id, nodeID: request.nodeID, status: pod.status ?? .pending)
        } catch {
            throw RunPodGraphQL.redacted(error, apiKey: apiKey)
        }
    }

    /// The deploy mutation for `request`, and the name of the field its answer comes in.
    func launchRequest(_ request: LaunchRequest) throws(ProviderError) -> (HTTPRequest, field: String) {
        _ = try ProvisioningHTTP.requiredKey(apiKey, provider: "RunPod")
        let native = try ProvisioningHTTP.nativeOfferID(request, providerID: providerID)
        let offer = try RunPodOfferID(native)
        var fields: [String] = []
        if offer.isSpot {
            let count = Int64(offer.gpuCount)
            let perGPU = ((request.bid ?? request.offer.pricePerHour).microdollars + count - 1) / count
            fields.append("bidPerGpu: \(Money(microdollars: perGPU).decimalString)")
        }
        fields += [
            "cloudType: \(offer.cloudType)", "gpuCount: \(offer.gpuCount)",
            "gpuTypeId: \(RunPodGraphQL.literal(offer.gpuTypeID))",
            "name: \(RunPodGraphQL.literal(InstanceTag.name(for: request.nodeID)))",
            "imageName: \(RunPodGraphQL.literal(request.image))",
        ]
        if let disk = request.diskGB { fields.append("containerDiskInGb: \(disk)") }
        let env = NodeBoot.containerEnvironment(request).sorted { $0.key < $1.key }.map { name, value in
            "{key: \(RunPodGraphQL.literal(name)), value: \(RunPodGraphQL.literal(value))}"
        }
        fields.append("env: [\(env.joined(separator: ", "))]")
        fields.append("dockerArgs: \(RunPodGraphQL.literal(ShellWords.line(NodeBoot.containerCommand(request))))")
        let field = offer.isSpot ? "podRentInterruptable" : "podFindAndDeployOnDemand"
        let mutation =
            "mutation { \(field)(input: {\(fields.joined(separator: ", "))}) { id name desiredStatus } }"
        var http = RunPodGraphQL.request(baseURL: baseURL, apiKey: apiKey, query: mutation)
        http.timeout = ProvisioningHTTP.launchTimeout
        http.retry = .none
        return (http, field)
    }

    public func instances(transport: any HTTPTransport) async throws(ProviderError) -> [ProviderInstance] {
        do throws(ProviderError) {
            _ = try ProvisioningHTTP.requiredKey(apiKey, provider: "RunPod")
            let body = try await transport.fetchBody(call(Self.podsQuery), errors: RunPodErrors.self)
            let data = try RunPodGraphQL.data(RunPodMyself.self, from: body)
            guard let pods = data.myself?.pods else { throw .malformed("missing 'data.myself.pods'") }
            return pods.compactMap { pod in
                guard let id = pod.id, let nodeID = InstanceTag.nodeID(fromName: pod.name) else { return nil }
                return ProviderInstance(nativeID: id, nodeID: nodeID, status: pod.status ?? .pending)
            }
        } catch {
            throw RunPodGraphQL.redacted(error, apiKey: apiKey)
        }
    }

    public func terminate(nativeID: String, transport: any HTTPTransport) async throws(ProviderError) {
        do throws(ProviderError) {
            _ = try ProvisioningHTTP.requiredKey(apiKey, provider: "RunPod")
            let mutation = "mutation { podTerminate(input: {podId: \(RunPodGraphQL.literal(nativeID))}) }"
            let body = try await transport.fetchBody(call(mutation), errors: RunPodErrors.self)
            do throws(ProviderError) {
                _ = try RunPodGraphQL.data(RunPodTerminated.self, from: body)
            } catch {
                guard case .api(_, let message) = error, message.lowercased().contains("not found") else { throw error }
            }
        } catch {
            throw RunPodGraphQL.redacted(error, apiKey: apiKey)
        }
    }

    /// A list or terminate call: safe to repeat, so retried like a pricing call.
    private func call(_ query: String) -> HTTPRequest {
        var request = RunPodGraphQL.request(baseURL: baseURL, apiKey: apiKey, query: query)
        request.timeout = ProvisioningHTTP.callTimeout
        request.retry = ProviderJSON.pricingRetry
        return request
    }
}

/// `<gpuTypeId>:<secure|community>:<count>[:spot]`, the native offer id of ``RunPodPricingSource``.
struct RunPodOfferID: Equatable {
    var gpuTypeID: String
    /// `SECURE` or `COMMUNITY`, as the API's `cloudType` enum.
    var cloudType: String
    var gpuCount: Int
    var isSpot: Bool

    init(_ native: String) throws(ProviderError) {
        var parts = native.split(separator: ":", omittingEmptySubsequences: false)
        isSpot = parts.last == "spot"
        if isSpot { parts.removeLast() }
        guard parts.count >= 3, let count = Int(parts[parts.count - 1]), count > 0,
            ["secure", "community"].contains(parts[parts.count - 2])
        else {
            throw ProvisioningHTTP.unknownOffer(
                native, provider: "RunPod", expected: "'<gpuTypeId>:<secure|community>:<count>[:spot]'")
        }
        gpuCount = count
        cloudType = parts[parts.count - 2].uppercased()
        gpuTypeID = parts.dropLast(2).joined(separator: ":")
        guard !gpuTypeID.isEmpty else {
            throw ProvisioningHTTP.unknownOffer(native, provider: "RunPod", expected: "a GPU type id first")
        }
    }
}

/// A pod as the API reports it.
private struct RunPodPod: Decodable {
    var id: String?
    var name: String?
    var desiredStatus: String?
    var hasRuntime = false

    private enum CodingKeys: String, CodingKey {
        case id, name, desiredStatus, runtime
    }

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: CodingKeys.self) else { return }
        id = container.lenientID(.id)
        name = container.lenientString(.name)
        desiredStatus = container.lenientString(.desiredStatus)
        hasRuntime = container.lenientObject(.runtime) != nil
    }

    /// `RUNNING` without a runtime yet → pending, with one → running; `EXITED` → stopping;
    /// `TERMINATED` → terminated; nil for a status not known.
    var status: InstanceStatus? {
        switch desiredStatus?.uppercased() {
        case "RUNNING": hasRuntime ? .running : .pending
        case "CREATED", "RESTARTING": .pending
        case "EXITED", "PAUSED": .stopping
        case "TERMINATED": .terminated
        default: nil
        }
    }
}

private struct RunPodMyself: Decodable {
    struct Pods: Decodable {
        var pods: [RunPodPod]?
    }

    var myself: Pods?
}

/// `{"podTerminate": null}`: nothing to read.
private struct RunPodTerminated: Decodable {}
