import BrokerCore
import CurlHTTP
import Foundation

/// Vast.ai instances: rent an ask, list the account's instances, destroy one.
///
/// - create: `PUT {base}/api/v0/asks/<ask id>/` with the image, env, disk, label and, for an
///   interruptible offer (native id `<ask id>:spot`), the bid `price` for the whole machine; the
///   answer is `{"success": true, "new_contract": <instance id>}`. An ask that is gone
///   (`no_such_ask`) is a capacity refusal for that offer.
/// - list: `GET {base}/api/v1/instances/?select_filters={}&order_by=[{"col": "id", "dir": "asc"}]&limit=25`
///   → `{"instances": [...], "next_token": …}`, followed with `after_token` while `next_token` is
///   set, exactly as the vastai CLI and SDK list; instances are tagged by `label`.
/// - destroy: `DELETE {base}/api/v0/instances/<id>/` with the body `{}`; `no_such_instance` means
///   already gone.
///
/// Auth is `Authorization: Bearer <key>`.
public struct VastProvisioner: InstanceProvisioner {
    public let providerID: String
    /// The API root without a trailing slash, e.g. `https://console.vast.ai`.
    public let baseURL: String
    public let apiKey: String?
    /// What an interruptible bid adds to the ask, in millionths.
    public let bidMarginPPM: Int64

    public init(providerID: String, baseURL: String, apiKey: String?, bidMarginPPM: Int64 = SpotBid.defaultMarginPPM) {
        self.providerID = providerID
        self.baseURL = ProviderJSON.trimmedBase(baseURL)
        self.apiKey = apiKey
        self.bidMarginPPM = bidMarginPPM
    }

    /// An interruptible instance pays its bid.
    public func bidStyle(for offer: Offer) -> SpotBid.Style {
        offer.market == .spot ? .bid(marginPPM: bidMarginPPM) : .fixed
    }

    /// The disk asked for when the job names none: Vast gives a container no disk it was not asked
    /// for, and a training image alone takes tens of GB.
    static let defaultDiskGB = 64

    /// The error codes that say the ask cannot be rented any more.
    static let capacityCodes: Set<String> = ["no_such_ask", "ask_unavailable", "insufficient_capacity"]

    public func launch(_ request: LaunchRequest, transport: any HTTPTransport) async throws(ProviderError)
        -> ProviderInstance
    {
        do throws(ProviderError) {
            let http = try launchRequest(request)
            let body = try await transport.fetchBody(http, errors: VastErrorEnvelope.self) { error, _ in
                error.asCapacityRefusal { code, _ in code.map(Self.capacityCodes.contains) == true ? .offer : nil }
            }
            let answer = try ProviderJSON.decode(VastLaunchAnswer.self, from: body)
            guard answer.success != false, let contract = answer.newContract else {
                if let error = answer.envelope.error {
                    throw error.asCapacityRefusal { code, _ in
                        code.map(Self.capacityCodes.contains) == true ? .offer : nil
                    }
                }
                throw .malformed("missing 'new_contract'")
            }
            return ProviderInstance(nativeID: contract, nodeID: request.nodeID, status: .pending)
        } catch {
            throw error.redacting([ProviderJSON.usableKey(apiKey) ?? ""])
        }
    }

    /// The `PUT /api/v0/asks/<id>/` for `request`.
    ///
    /// The node's command (``NodeBoot/containerCommand(_:)``: fetch the agent, run the job's command
    /// under it) goes in `args` (with `runtype: "args"` Vast keeps the image's entrypoint and passes
    /// it these arguments) and, joined, in `onstart`, which SSH-mode launches run; the broker's URL
    /// and the node's token in `env`.
    func launchRequest(_ request: LaunchRequest) throws(ProviderError) -> HTTPRequest {
        let key = try ProvisioningHTTP.requiredKey(apiKey, provider: "Vast.ai")
        let native = try ProvisioningHTTP.nativeOfferID(request, providerID: providerID)
        let (askID, isSpot) = try Self.parseOfferID(native)
        let command = NodeBoot.containerCommand(request)
        let body = VastCreateBody(
            image: request.image, env: NodeBoot.containerEnvironment(request),
            disk: request.diskGB ?? Self.defaultDiskGB,
            label: InstanceTag.name(for: request.nodeID), onstart: ShellWords.line(command),
            args: command, price: isSpot ? (request.bid ?? request.offer.pricePerHour).jsonDollars : nil)
        return ProvisioningHTTP.request(
            .put, "\(baseURL)/api/v0/asks/\(askID)/", auth: ("Authorization", "Bearer \(key)"),
            body: try ProvisioningHTTP.encode(body), isLaunch: true)
    }

    /// The ask id and whether the offer is interruptible, from `<ask id>` or `<ask id>:spot`.
    static func parseOfferID(_ native: String) throws(ProviderError) -> (askID: String, isSpot: Bool) {
        let parts = native.split(separator: ":", omittingEmptySubsequences: false)
        let isSpot = parts.count == 2 && parts[1] == "spot"
        guard parts.count == 1 || isSpot, !parts[0].isEmpty, parts[0].allSatisfy(\.isASCIIDigit) else {
            throw ProvisioningHTTP.unknownOffer(native, provider: "Vast.ai", expected: "'<ask id>' or '<ask id>:spot'")
        }
        return (String(parts[0]), isSpot)
    }

    /// More pages than this is taken for a server that never stops paginating.
    static let maxPages = 400

    public func instances(transport: any HTTPTransport) async throws(ProviderError) -> [ProviderInstance] {
        do throws(ProviderError) {
            var found: [ProviderInstance] = []
            var token: String?
            for _ in 0..<Self.maxPages {
                let body = try await transport.fetchBody(try listRequest(after: token), errors: VastErrorEnvelope.self)
                let answer = try ProviderJSON.decode(VastInstancesAnswer.self, from: body)
                guard let records = answer.instances else { throw .malformed("missing 'instances'") }
                found += records.compactMap { record in
                    guard let id = record.id, let nodeID = InstanceTag.nodeID(fromName: record.label) else {
                        return nil
                    }
                    return ProviderInstance(nativeID: id, nodeID: nodeID, status: record.status)
                }
                guard let next = answer.nextToken, !next.isEmpty else { return found }
                guard next != token else { throw .malformed("'next_token' \(next) repeats the token just sent") }
                token = next
            }
            throw .malformed("the instance list did not end after \(Self.maxPages) pages")
        } catch {
            throw error.redacting([ProviderJSON.usableKey(apiKey) ?? ""])
        }
    }

    /// The vastai CLI's query, byte for byte: `quote_plus` of its JSON, spaces as `+`.
    static let listQuery =
        "select_filters=%7B%7D&order_by=%5B%7B%22col%22%3A+%22id%22%2C+%22dir%22%3A+%22asc%22%7D%5D&limit=25"

    /// One page of the instance list, after the row `token` names (the first page without one).
    func listRequest(after token: String?) throws(ProviderError) -> HTTPRequest {
        let key = try ProvisioningHTTP.requiredKey(apiKey, provider: "Vast.ai")
        var query = Self.listQuery
        if let token {
            query += "&after_token=" + (token.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? token)
        }
        return ProvisioningHTTP.request(
            .get, "\(baseURL)/api/v1/instances/?\(query)", auth: ("Authorization", "Bearer \(key)"))
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    public func terminate(nativeID: String, transport: any HTTPTransport) async throws(ProviderError) {
        do throws(ProviderError) {
            let key = try ProvisioningHTTP.requiredKey(apiKey, provider: "Vast.ai")
            guard !nativeID.isEmpty, nativeID.allSatisfy(\.isASCIIDigit) else {
                throw .misconfigured("'\(nativeID)' is not a Vast.ai instance id")
            }
            // An empty JSON object as the body, as the vastai CLI sends it.
            let request = ProvisioningHTTP.request(
                .delete, "\(baseURL)/api/v0/instances/\(nativeID)/", auth: ("Authorization", "Bearer \(key)"),
                body: Array("{}".utf8))
            _ = try await transport.fetchBody(request, errors: VastErrorEnvelope.self) { error, _ in
                if case .api(code: "no_such_instance", _) = error { return nil }
                return error
            }
        } catch {
            throw error.redacting([ProviderJSON.usableKey(apiKey) ?? ""])
        }
    }
}

extension Character {
    /// 0-9 only (not other scripts' digits).
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

/// The body of `PUT /api/v0/asks/<id>/`; `price` is written as `null` for an on-demand launch.
private struct VastCreateBody: Encodable {
    var image: String
    var env: [String: String]
    var disk: Int
    var label: String
    var onstart: String
    var args: [String]
    var price: Decimal?

    private enum CodingKeys: String, CodingKey {
        case clientID = "client_id"
        case image, env, disk, label, onstart, runtype, args, price
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("me", forKey: .clientID)
        try container.encode(image, forKey: .image)
        try container.encode(env, forKey: .env)
        try container.encode(disk, forKey: .disk)
        try container.encode(label, forKey: .label)
        try container.encode(onstart, forKey: .onstart)
        try container.encode("args", forKey: .runtype)
        try container.encode(args, forKey: .args)
        try container.encode(price, forKey: .price)
    }
}

/// `{"success": true, "new_contract": 7835610}`, or `success: false` with Vast's error fields.
private struct VastLaunchAnswer: Decodable {
    var success: Bool?
    var newContract: String?
    var envelope: VastErrorEnvelope

    private enum CodingKeys: String, CodingKey {
        case success
        case newContract = "new_contract"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        success = container.lenientBool(.success)
        newContract = container.lenientID(.newContract)
        envelope = try VastErrorEnvelope(from: decoder)
    }
}

private struct VastInstancesAnswer: Decodable {
    var instances: [VastInstance]?
    var nextToken: String?

    private enum CodingKeys: String, CodingKey {
        case instances
        case nextToken = "next_token"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        instances = try container.decodeIfPresent([VastInstance].self, forKey: .instances)
        nextToken = container.lenientID(.nextToken)
    }
}

/// One instance of `GET /api/v0/instances`: the fields that say whose it is and how it is.
private struct VastInstance: Decodable {
    var id: String?
    var label: String?
    var actualStatus: String?
    var intendedStatus: String?

    private enum CodingKeys: String, CodingKey {
        case id, label
        case actualStatus = "actual_status"
        case intendedStatus = "intended_status"
    }

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: CodingKeys.self) else { return }
        id = container.lenientID(.id)
        label = container.lenientString(.label)
        actualStatus = container.lenientString(.actualStatus)
        intendedStatus = container.lenientString(.intendedStatus)
    }

    /// `loading` (or no status yet) → pending, `running` → running, `exited`/`offline` or an
    /// intended `stopped` → stopping.
    var status: InstanceStatus {
        if intendedStatus == "stopped" { return .stopping }
        switch actualStatus {
        case "running": return .running
        case "exited", "offline", "stopped": return .stopping
        default: return .pending
        }
    }
}
