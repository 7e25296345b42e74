import BrokerCore
import CurlHTTP
import Foundation

/// EC2 instances through the Query API (form `POST`s signed with SigV4): run one, list the tagged
/// instances of every configured region, terminate one.
///
/// - launch: `RunInstances` of the offer's instance type (native id `<type>:<zone>:spot` or
///   `<type>:<region>:on_demand`, as ``AWSPricingSource`` writes it) from ``imageID``, with
///   `ClientToken` = the node id (so a retried launch returns the same instance instead of a second
///   one), the tags `gridbroker-node` = node id and `Name` = `gridbroker-<node id>`, a one-time
///   spot request for a spot offer (`MaxPrice` only when the request bids: without it the instance
///   pays the spot price, at most on-demand), and the node's boot script as `UserData`
///   (``NodeBoot/virtualMachineScript(_:)``). Capacity errors map to a scope:
///   `InsufficientInstanceCapacity` the zone or region, `SpotMaxPriceTooLow`/`InsufficientCapacity`
///   the offer, the account's quotas (`VcpuLimitExceeded`, …) the region.
/// - list: `DescribeInstances` filtered on the tag key, in every configured region, following
///   `NextToken`; native ids are `<region>/<instance id>`, since a terminate must go to the region.
/// - terminate: `TerminateInstances`; `InvalidInstanceID.NotFound` means already gone.
public struct AWSProvisioner: InstanceProvisioner, CustomStringConvertible {
    /// More pages than this for one region is taken for a server that never stops paginating.
    static let maxPages = 200
    /// EC2 refuses `UserData` over 16 KiB (counted in base64).
    static let maximumUserDataBytes = 16 * 1024

    public let providerID: String
    /// The endpoint URL with `{region}` where the region goes (see ``AWSPricingSource``).
    public let endpoint: String
    /// The regions launched in and listed.
    public let regions: [String]
    public let credentials: AWSCredentials
    /// The AMI every instance boots (one with Docker and the NVIDIA container toolkit).
    public let imageID: String
    /// On-demand prices per instance type (config `on_demand_prices`): where an unset spot bid
    /// stops.
    public let onDemandPrices: [String: Money]
    /// Instances asked for per `DescribeInstances` page (EC2 allows 5...1000).
    public let listPageSize: Int
    /// The clock requests are signed with.
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - credentials: needs `ec2:RunInstances`, `ec2:CreateTags`, `ec2:DescribeInstances` and
    ///     `ec2:TerminateInstances`.
    ///   - now: the signing clock; the system clock unless a test fixes it.
    public init(
        providerID: String,
        endpoint: String = AWSPricingSource.defaultEndpoint,
        regions: [String],
        credentials: AWSCredentials,
        imageID: String,
        onDemandPrices: [String: Money] = [:],
        listPageSize: Int = 1000,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.providerID = providerID
        self.endpoint = endpoint
        self.regions = regions
        self.credentials = credentials
        self.imageID = imageID
        self.onDemandPrices = onDemandPrices
        self.listPageSize = min(max(listPageSize, 5), 1000)
        self.now = now
    }

    /// Names the provider, endpoint, regions and image; never the secret.
    public var description: String {
        "AWSProvisioner(providerID: \(providerID), endpoint: \(endpoint), regions: \(regions), "
            + "credentials: \(credentials), imageID: \(imageID))"
    }

    /// A spot instance pays the spot price whatever its bid.
    public func bidStyle(for offer: Offer) -> SpotBid.Style {
        guard offer.market == .spot else { return .fixed }
        let instanceType = offer.id.native.split(separator: ":").first.map(String.init) ?? ""
        return .marketPrice(onDemand: onDemandPrices[instanceType])
    }

    /// The error codes that refuse a launch for lack of capacity, and how far each reaches.
    static let capacityScopes: [String: CapacityScope] = [
        "InsufficientInstanceCapacity": .region,
        "InsufficientHostCapacity": .region,
        "SpotMaxPriceTooLow": .offer,
        "InsufficientCapacity": .offer,
        // Quotas are per region: another region may have room.
        "MaxSpotInstanceCountExceeded": .region,
        "InstanceLimitExceeded": .region,
        "VcpuLimitExceeded": .region,
    ]

    public func launch(_ request: LaunchRequest, transport: any HTTPTransport) async throws(ProviderError)
        -> ProviderInstance
    {
        do throws(ProviderError) {
            let (http, region) = try launchRequest(request)
            let root = try AWSQueryResponse.root(of: try await transport.send(http), expecting: "RunInstancesResponse")
            guard let item = root.child("instancesSet")?.children(named: "item").first,
                let id = item.childText("instanceId"), !id.isEmpty
            else { throw .malformed("<RunInstancesResponse> has no instancesSet/item/instanceId") }
            return ProviderInstance(
                nativeID: "\(region)/\(id)", nodeID: request.nodeID, status: Self.status(of: item) ?? .pending)
        } catch {
            throw redacted(error.asCapacityRefusal { code, _ in code.flatMap { Self.capacityScopes[$0] } })
        }
    }

    /// The signed `RunInstances` for `request`, and the region it goes to.
    func launchRequest(_ request: LaunchRequest) throws(ProviderError) -> (HTTPRequest, region: String) {
        try AWSQuery.checkConfiguration(credentials: credentials, regions: regions)
        guard !imageID.isEmpty else { throw .misconfigured("no AMI (image id) configured for AWS launches") }
        let native = try ProvisioningHTTP.nativeOfferID(request, providerID: providerID)
        let parts = native.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, !parts[0].isEmpty, parts[2] == "spot" || parts[2] == "on_demand" else {
            throw ProvisioningHTTP.unknownOffer(
                native, provider: "AWS", expected: "'<type>:<zone>:spot' or '<type>:<region>:on_demand'")
        }
        let isSpot = parts[2] == "spot"
        let region = try isSpot ? region(ofZone: parts[1]) : configuredRegion(parts[1])
        var parameters: [(String, String)] = [
            ("Action", "RunInstances"), ("Version", AWSQuery.apiVersion), ("ImageId", imageID),
            ("InstanceType", parts[0]), ("MinCount", "1"), ("MaxCount", "1"), ("ClientToken", request.nodeID),
            ("TagSpecification.1.ResourceType", "instance"),
            ("TagSpecification.1.Tag.1.Key", InstanceTag.awsKey), ("TagSpecification.1.Tag.1.Value", request.nodeID),
            ("TagSpecification.1.Tag.2.Key", "Name"),
            ("TagSpecification.1.Tag.2.Value", InstanceTag.name(for: request.nodeID)),
        ]
        if isSpot {
            parameters += [
                ("Placement.AvailabilityZone", parts[1]), ("InstanceMarketOptions.MarketType", "spot"),
                ("InstanceMarketOptions.SpotOptions.SpotInstanceType", "one-time"),
                ("InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior", "terminate"),
            ]
            // Without MaxPrice the instance pays the spot price, at most the on-demand price.
            if let bid = request.bid {
                parameters.append(("InstanceMarketOptions.SpotOptions.MaxPrice", bid.decimalString))
            }
        }
        let userData = Data(NodeBoot.virtualMachineScript(request).utf8).base64EncodedString()
        guard userData.utf8.count <= Self.maximumUserDataBytes else {
            throw .misconfigured(
                "the node's boot script is \(userData.utf8.count) bytes in base64, over EC2's 16 KiB for UserData: "
                    + "the job's command and env are too large")
        }
        parameters.append(("UserData", userData))
        // ClientToken makes a repeated RunInstances return the first one's instance: safe to retry.
        return (try signedPOST(region: region, parameters, timeout: ProvisioningHTTP.launchTimeout), region)
    }

    public func instances(transport: any HTTPTransport) async throws(ProviderError) -> [ProviderInstance] {
        try AWSQuery.checkConfiguration(credentials: credentials, regions: regions)
        var found: [ProviderInstance] = []
        for region in regions {
            do throws(ProviderError) {
                found += try await AWSQuery.allPages(maxPages: Self.maxPages) { token throws(ProviderError) in
                    try await describePage(region: region, nextToken: token, transport: transport)
                }
            } catch {
                throw redacted(error.inRegion(region))
            }
        }
        return found
    }

    /// One page of `DescribeInstances` in `region`: the tagged instances and the next token.
    private func describePage(
        region: String, nextToken: String?, transport: any HTTPTransport
    ) async throws(ProviderError) -> (items: [ProviderInstance], nextToken: String?) {
        var parameters: [(String, String)] = [
            ("Action", "DescribeInstances"), ("Version", AWSQuery.apiVersion),
            ("Filter.1.Name", "tag-key"), ("Filter.1.Value.1", InstanceTag.awsKey),
            ("MaxResults", String(listPageSize)),
        ]
        if let nextToken { parameters.append(("NextToken", nextToken)) }
        let request = try signedPOST(region: region, parameters, timeout: ProvisioningHTTP.callTimeout)
        let root = try AWSQueryResponse.root(
            of: try await transport.send(request), expecting: "DescribeInstancesResponse")
        let items = (root.child("reservationSet")?.children(named: "item") ?? [])
            .flatMap { $0.child("instancesSet")?.children(named: "item") ?? [] }
        let instances = items.compactMap { item -> ProviderInstance? in
            guard let id = item.childText("instanceId"), !id.isEmpty else { return nil }
            let tag = item.child("tagSet")?.children(named: "item").first { $0.childText("key") == InstanceTag.awsKey }
            guard let nodeID = tag?.childText("value"), !nodeID.isEmpty else { return nil }
            return ProviderInstance(
                nativeID: "\(region)/\(id)", nodeID: nodeID, status: Self.status(of: item) ?? .pending)
        }
        let token = root.childText("nextToken")
        return (instances, token?.isEmpty == false ? token : nil)
    }

    public func terminate(nativeID: String, transport: any HTTPTransport) async throws(ProviderError) {
        try AWSQuery.checkConfiguration(credentials: credentials, regions: regions)
        let parts = nativeID.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, AWSQuery.isRegionName(parts[0]), parts[1].hasPrefix("i-") else {
            throw .misconfigured("'\(nativeID)' is not an AWS instance id (expected '<region>/i-…')")
        }
        let parameters = [
            ("Action", "TerminateInstances"), ("Version", AWSQuery.apiVersion), ("InstanceId.1", parts[1]),
        ]
        let request = try signedPOST(region: parts[0], parameters, timeout: ProvisioningHTTP.callTimeout)
        do throws(ProviderError) {
            _ = try AWSQueryResponse.root(
                of: try await transport.send(request), expecting: "TerminateInstancesResponse")
        } catch {
            if case .api(code: "InvalidInstanceID.NotFound", _) = error { return }
            throw redacted(error.inRegion(parts[0]))
        }
    }

    // MARK: Helpers

    /// `error` without the secret key or session token, should EC2 ever echo one.
    private func redacted(_ error: ProviderError) -> ProviderError {
        error.redacting([credentials.secretAccessKey, credentials.sessionToken ?? ""])
    }

    /// A form `POST` of `parameters` to `region`'s endpoint, signed now.
    private func signedPOST(
        region: String, _ parameters: [(String, String)], timeout: Duration
    ) throws(ProviderError) -> HTTPRequest {
        let request = HTTPRequest(
            method: .post, url: try AWSQuery.regionURL(endpoint: endpoint, region: region),
            headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"],
            body: Array(AWSQuery.encoded(parameters).utf8), timeout: timeout, retry: ProviderJSON.pricingRetry)
        return try SigV4Signer(credentials: credentials, region: region, service: "ec2").sign(request, at: now())
    }

    /// The configured region a zone is in (the longest configured region name it starts with).
    private func region(ofZone zone: String) throws(ProviderError) -> String {
        let region = regions.filter { zone.hasPrefix($0) && zone.count > $0.count }.max { $0.count < $1.count }
        guard let region else {
            throw .misconfigured("availability zone '\(zone)' is in none of the configured regions \(regions)")
        }
        return region
    }

    /// `region`, checked to be configured: an instance elsewhere would never be listed.
    private func configuredRegion(_ region: String) throws(ProviderError) -> String {
        guard regions.contains(region) else {
            throw .misconfigured("region '\(region)' is not one of the configured regions \(regions)")
        }
        return region
    }

    /// `pending` → pending, `running` → running, `shutting-down`/`stopping`/`stopped` → stopping,
    /// `terminated` → terminated, from an instance item's `instanceState` (or `currentState`).
    static func status(of item: AWSXMLElement) -> InstanceStatus? {
        switch (item.child("instanceState") ?? item.child("currentState"))?.childText("name") {
        case "pending": .pending
        case "running": .running
        case "shutting-down", "stopping", "stopped": .stopping
        case "terminated": .terminated
        default: nil
        }
    }
}
