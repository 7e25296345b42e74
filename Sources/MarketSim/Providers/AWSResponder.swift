import Hummingbird

/// EC2's Query API at `/aws/{region}/`, answering `DescribeSpotPriceHistory` with EC2's XML, and
/// the instance actions of ``AWSInstances``, and Service Quotas' `GetServiceQuota` for the
/// account's EC2 vCPU quotas.
///
/// Parameters come from the query string or a form-encoded body (as the AWS SDKs and CLI send
/// them). Honoured: `InstanceType.N`, `ProductDescription.N`, `AvailabilityZone`,
/// `Filter.N.Name`/`Filter.N.Value.M` (instance-type, product-description, availability-zone;
/// `*` and `?` wildcards), `MaxResults` and `NextToken`. Each (type, zone, product) is one item with
/// the price in effect at `EndTime` (default: now) and the time that price was set. A request must
/// carry a SigV4-shaped `Authorization` header or presigned query; the signature is not checked.
struct AWSResponder: Sendable {
    let market: AWSMarket
    let seed: UInt64
    let ec2: AWSInstances

    init(market: AWSMarket, seed: UInt64, instances: InstanceRegistry) {
        self.market = market
        self.seed = seed
        ec2 = AWSInstances(market: market, instances: instances)
    }

    static let namespace = "http://ec2.amazonaws.com/doc/2016-11-15/"

    func handle(_ request: ProviderRequest, region: String?, at time: Double) -> ProviderReply {
        let parameters = request.formParameters()
        let requestID = Self.requestID(seed: seed, time: time, parameters: parameters)
        guard Self.isSigned(request, parameters: parameters) else {
            return Self.error(
                .unauthorized, "AuthFailure", "AWS was not able to validate the provided access credentials",
                requestID: requestID)
        }
        if request.header("x-amz-target") != nil {
            return Self.serviceQuota(request, region: region ?? Self.credentialRegion(request) ?? "us-east-1")
        }
        guard let action = Self.value("Action", in: parameters) else {
            return Self.error(
                .badRequest, "MissingAction", "The request must contain the parameter Action", requestID: requestID)
        }
        let region = region ?? Self.credentialRegion(request) ?? "us-east-1"
        let call = AWSInstances.Call(
            parameters: parameters, region: region, requestID: requestID, refusesLaunches: request.refusesLaunches,
            time: time)
        switch action {
        case "DescribeSpotPriceHistory":
            return describeSpotPriceHistory(parameters, region: region, requestID: requestID, at: time)
        case "RunInstances": return ec2.runInstances(call)
        case "DescribeInstances": return ec2.describeInstances(call)
        case "TerminateInstances": return ec2.terminateInstances(call)
        default:
            return Self.error(
                .badRequest, "InvalidAction", "The action \(action) is not valid for this web service.",
                requestID: requestID)
        }
    }

    /// The simulated account's EC2 vCPU quotas by Service Quotas code: G and VT, then P instances,
    /// on-demand and spot.
    static let vcpuQuotas: [String: Int] = [
        "L-DB2E81BA": 512, "L-3819A6DF": 512, "L-417A185B": 768, "L-7212CCBC": 768,
    ]

    /// Service Quotas (JSON 1.1 on the same endpoint, the call named by `X-Amz-Target`):
    /// `GetServiceQuota` for an EC2 vCPU quota: `{"Quota": {..., "Value": N}}`, or Service Quotas'
    /// `NoSuchResourceException` for any other.
    static func serviceQuota(_ request: ProviderRequest, region: String) -> ProviderReply {
        let body = request.jsonObject
        guard request.header("x-amz-target") == "ServiceQuotasV20190624.GetServiceQuota",
            body?["ServiceCode"]?.stringValue == "ec2", let code = body?["QuotaCode"]?.stringValue,
            let value = vcpuQuotas[code]
        else {
            return ProviderReply(
                status: .badRequest, contentType: "application/x-amz-json-1.1",
                body: Array(
                    #"{"__type":"NoSuchResourceException","message":"The request failed because the specified service quota does not exist."}"#
                        .utf8))
        }
        return ProviderReply(
            status: .ok, contentType: "application/x-amz-json-1.1",
            body: Array(
                #"{"Quota":{"ServiceCode":"ec2","QuotaCode":"\#(code)","QuotaArn":"arn:aws:servicequotas:\#(region)::ec2/\#(code)","Value":\#(value).0,"Unit":"None","Adjustable":true}}"#
                    .utf8))
    }

    private func describeSpotPriceHistory(
        _ parameters: [(key: String, value: String)], region: String, requestID: String, at now: Double
    ) -> ProviderReply {
        var instanceTypes = Self.indexed("InstanceType", in: parameters)
        var products = Self.indexed("ProductDescription", in: parameters)
        var zones = Self.value("AvailabilityZone", in: parameters).map { [$0] } ?? []
        for (name, values) in Self.filters(in: parameters) {
            switch name {
            case "instance-type": instanceTypes += values
            case "product-description": products += values
            case "availability-zone": zones += values
            default: continue
            }
        }
        if products.isEmpty { products = ["Linux/UNIX"] }
        var time = now
        if let end = Self.value("EndTime", in: parameters), let parsed = Self.parseTimestamp(end) {
            time = min(parsed, now)
        }
        let maxResults = Self.value("MaxResults", in: parameters).flatMap { Int($0) }.map { min(max($0, 1), 1_000) }
        var offset = 0
        if let token = Self.value("NextToken", in: parameters), !token.isEmpty {
            guard let decoded = Self.decodeToken(token) else {
                return Self.error(
                    .badRequest, "InvalidNextToken", "The specified token \(token) is not valid.",
                    requestID: requestID)
            }
            offset = decoded
        }

        var items: [(series: AWSSpotSeries, product: Int)] = []
        for series in market.series {
            let zone = AWSMarket.zones[series.zone]
            guard AWSMarket.regions[zone.region].name == region else { continue }
            let type = AWSMarket.instanceTypes[series.type]
            if !instanceTypes.isEmpty && !instanceTypes.contains(where: { Self.glob($0, type.name) }) { continue }
            if !zones.isEmpty && !zones.contains(where: { Self.glob($0, zone.name) }) { continue }
            for (index, product) in AWSMarket.productDescriptions.enumerated()
            where products.contains(where: { Self.glob($0, product.name) }) {
                items.append((series, index))
            }
        }

        let pageSize = maxResults ?? 1_000
        let page = items.dropFirst(offset).prefix(pageSize)
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeSpotPriceHistoryResponse xmlns=\""
        xml += Self.namespace + "\">\n    <requestId>" + requestID + "</requestId>\n"
        if page.isEmpty {
            xml += "    <spotPriceHistorySet/>\n"
        } else {
            xml += "    <spotPriceHistorySet>\n"
            for item in page {
                let product = AWSMarket.productDescriptions[item.product]
                let price = market.spotPrice(item.series, at: time) * (1 + product.premium)
                xml += "        <item>\n            <instanceType>"
                xml += AWSMarket.instanceTypes[item.series.type].name
                xml += "</instanceType>\n            <productDescription>" + product.name
                xml += "</productDescription>\n            <spotPrice>" + Self.fixed6(price)
                xml += "</spotPrice>\n            <timestamp>"
                xml += Timestamp.iso8601(
                    market.drift.stepStart(key: item.series.key, at: time).rounded(.down), milliseconds: true)
                xml += "</timestamp>\n            <availabilityZone>" + AWSMarket.zones[item.series.zone].name
                xml += "</availabilityZone>\n        </item>\n"
            }
            xml += "    </spotPriceHistorySet>\n"
        }
        if offset + page.count < items.count {
            xml += "    <nextToken>" + Self.encodeToken(offset + page.count) + "</nextToken>\n"
        }
        xml += "</DescribeSpotPriceHistoryResponse>"
        return ProviderReply.xml(.ok, text: xml)
    }

    // MARK: - Parameters

    static func value(_ name: String, in parameters: [(key: String, value: String)]) -> String? {
        parameters.first { $0.key == name }?.value
    }

    /// `Name.1`, `Name.2`, … in index order (also the SDKs' `Name.member.N` spelling).
    static func indexed(_ name: String, in parameters: [(key: String, value: String)]) -> [String] {
        parameters.compactMap { parameter -> (Int, String)? in
            guard parameter.key.hasPrefix(name + ".") else { return nil }
            let suffix = parameter.key.dropFirst(name.count + 1)
            let number = suffix.hasPrefix("member.") ? suffix.dropFirst(7) : suffix
            return Int(number).map { ($0, parameter.value) }
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// `Filter.N.Name` with its `Filter.N.Value.M` values.
    static func filters(in parameters: [(key: String, value: String)]) -> [(String, [String])] {
        var names: [Int: String] = [:]
        var values: [Int: [(Int, String)]] = [:]
        for parameter in parameters where parameter.key.hasPrefix("Filter.") {
            let parts = parameter.key.split(separator: ".")
            guard parts.count >= 3, let index = Int(parts[1]) else { continue }
            if parts[2] == "Name" {
                names[index] = parameter.value
            } else if parts[2] == "Value", parts.count == 4, let valueIndex = Int(parts[3]) {
                values[index, default: []].append((valueIndex, parameter.value))
            }
        }
        return names.sorted { $0.key < $1.key }.map { index, name in
            (name, (values[index] ?? []).sorted { $0.0 < $1.0 }.map(\.1))
        }
    }

    /// EC2 filter matching: `*` any run of characters, `?` one character.
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let pattern = Array(pattern.utf8)
        let text = Array(text.utf8)
        var p = 0
        var t = 0
        var star: Int?
        var resume = 0
        while t < text.count {
            if p < pattern.count && (pattern[p] == UInt8(ascii: "?") || pattern[p] == text[t]) {
                p += 1
                t += 1
            } else if p < pattern.count && pattern[p] == UInt8(ascii: "*") {
                star = p
                resume = t
                p += 1
            } else if let starIndex = star {
                p = starIndex + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }

    // MARK: - Authentication

    /// A SigV4 `Authorization` header of the right shape, or a presigned query.
    static func isSigned(_ request: ProviderRequest, parameters: [(key: String, value: String)]) -> Bool {
        // Service Quotas calls are signed for their own service.
        let service = request.header("x-amz-target") == nil ? "ec2" : "servicequotas"
        if let authorization = request.header("authorization") {
            guard authorization.hasPrefix("AWS4-HMAC-SHA256 ") else { return false }
            let body = authorization.dropFirst("AWS4-HMAC-SHA256 ".count)
            var credential: Substring?
            var signedHeaders = false
            var signature = false
            for part in body.split(separator: ",") {
                let item = part.drop { $0 == " " }
                if item.hasPrefix("Credential=") { credential = item.dropFirst("Credential=".count) }
                if item.hasPrefix("SignedHeaders="), item.count > "SignedHeaders=".count { signedHeaders = true }
                if item.hasPrefix("Signature="), item.count > "Signature=".count { signature = true }
            }
            guard let credential, signedHeaders, signature else { return false }
            let scope = credential.split(separator: "/", omittingEmptySubsequences: false)
            return scope.count == 5 && !scope[0].isEmpty && scope[1].count == 8 && scope[3] == service
                && scope[4] == "aws4_request"
        }
        return value("X-Amz-Algorithm", in: parameters) == "AWS4-HMAC-SHA256"
            && value("X-Amz-Credential", in: parameters) != nil && value("X-Amz-Signature", in: parameters) != nil
    }

    /// The region named in the credential scope, for requests to `/aws/` without a region.
    static func credentialRegion(_ request: ProviderRequest) -> String? {
        guard let authorization = request.header("authorization"),
            let range = authorization.range(of: "Credential=")
        else { return nil }
        let scope = authorization[range.upperBound...].prefix { $0 != "," }.split(separator: "/")
        return scope.count == 5 ? String(scope[2]) : nil
    }

    // MARK: - Output

    static func fixed6(_ value: Double) -> String {
        let micros = Int64((value * 1_000_000).rounded())
        let fraction = String(micros % 1_000_000)
        return String(micros / 1_000_000) + "." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    static func encodeToken(_ offset: Int) -> String {
        "sim1." + String(offset, radix: 36) + "." + String(SplitMix64.hash(UInt64(offset), 0x544F_4B) % 1_000_000)
    }

    static func decodeToken(_ token: String) -> Int? {
        let parts = token.split(separator: ".")
        guard parts.count == 3, parts[0] == "sim1", let offset = Int(parts[1], radix: 36), offset >= 0,
            encodeToken(offset) == token
        else { return nil }
        return offset
    }

    /// A request id in UUID form, derived from the request, so identical requests at the same
    /// time get identical answers.
    static func requestID(seed: UInt64, time: Double, parameters: [(key: String, value: String)]) -> String {
        var key = SplitMix64.hash(seed, UInt64(bitPattern: Int64(time.rounded(.down))))
        for parameter in parameters {
            key = SplitMix64.hash(key, SplitMix64.key(parameter.key), SplitMix64.key(parameter.value))
        }
        return InstanceIDs.uuid(key)
    }

    /// EC2's error envelope.
    static func error(
        _ status: HTTPResponse.Status, _ code: String, _ message: String, requestID: String
    ) -> ProviderReply {
        let xml =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code
            + "</Code><Message>" + Self.escapeXML(message) + "</Message></Error></Errors><RequestID>"
            + requestID + "</RequestID></Response>"
        return ProviderReply.xml(status, text: xml)
    }

    /// Reads an ISO 8601 timestamp ("2026-11-21T15:02:11Z", fractions allowed) or Unix seconds.
    static func parseTimestamp(_ text: String) -> Double? {
        if let seconds = Double(text) { return seconds }
        return Timestamp.parseISO8601(text)
    }

    /// `text` safe inside an XML element.
    static func escapeXML(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
