import BrokerCore
import CurlHTTP
import Foundation
import Synchronization

/// An account's vCPU quotas for GPU instances in one region, from the Service Quotas API
/// (`GetServiceQuota`, JSON 1.1, signed for `servicequotas`), and how many instances of a type
/// they leave room for.
///
/// EC2 limits running instances by vCPUs per family and market: G and VT instances share one
/// on-demand quota and one spot quota, P instances another pair.
struct AWSVCPUQuotas: Sendable, Equatable {
    /// Instance families that share a quota.
    enum Family: Sendable, Hashable {
        case gAndVT, p

        init?(instanceType: String) {
            if instanceType.hasPrefix("p") {
                self = .p
            } else if instanceType.hasPrefix("g") || instanceType.hasPrefix("vt") {
                self = .gAndVT
            } else {
                return nil
            }
        }
    }

    /// The quota codes of Service Quotas for EC2, per family and market.
    static let codes: [Family: [Market: String]] = [
        .gAndVT: [.onDemand: "L-DB2E81BA", .spot: "L-3819A6DF"],
        .p: [.onDemand: "L-417A185B", .spot: "L-7212CCBC"],
    ]

    /// vCPUs by quota code, for the codes the API answered.
    var vcpus: [String: Int]

    /// How many instances of `type` in `market` the quotas leave room for; nil when the API did not
    /// give the quota.
    func instances(of type: AWSInstanceType, market: Market) -> Int? {
        guard type.vcpus > 0, let family = Family(instanceType: type.name), let code = Self.codes[family]?[market],
            let quota = vcpus[code]
        else { return nil }
        return quota / type.vcpus
    }

    /// The Service Quotas endpoint beside an EC2 endpoint: `ec2.{region}.amazonaws.com` becomes
    /// `servicequotas.{region}.amazonaws.com`; any other endpoint (an emulator) serves both.
    static func endpoint(besideEC2 endpoint: String) -> String {
        endpoint.replacingOccurrences(of: "://ec2.", with: "://servicequotas.")
    }

    /// The quotas `region`'s Service Quotas API answers. A quota it does not give (no permission,
    /// an emulator without it, an error) is left out; a transport failure leaves them all out.
    static func fetch(
        region: String, ec2Endpoint: String, credentials: AWSCredentials, transport: any HTTPTransport, now: Date
    ) async -> AWSVCPUQuotas {
        var vcpus: [String: Int] = [:]
        for code in codes.values.flatMap(\.values).sorted() {
            guard
                let request = try? request(
                    code: code, region: region, ec2Endpoint: ec2Endpoint, credentials: credentials, now: now),
                let response = try? await transport.execute(request), (200..<300).contains(response.status),
                let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body)),
                let value = answer.quota?.value, value.isFinite, value >= 0
            else { continue }
            vcpus[code] = Int(value)
        }
        return AWSVCPUQuotas(vcpus: vcpus)
    }

    /// The signed `GetServiceQuota` for one EC2 quota code.
    static func request(
        code: String, region: String, ec2Endpoint: String, credentials: AWSCredentials, now: Date
    ) throws(ProviderError) -> HTTPRequest {
        let url = try AWSQuery.regionURL(endpoint: endpoint(besideEC2: ec2Endpoint), region: region)
        let request = HTTPRequest(
            method: .post, url: url,
            headers: [
                "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "ServiceQuotasV20190624.GetServiceQuota",
            ],
            body: Array(#"{"ServiceCode":"ec2","QuotaCode":"\#(code)"}"#.utf8), timeout: ProvisioningHTTP.callTimeout,
            retry: .none)
        return try SigV4Signer(credentials: credentials, region: region, service: "servicequotas").sign(
            request, at: now)
    }

    /// `{"Quota": {"Value": 384.0, …}}`
    private struct Answer: Decodable {
        struct Quota: Decodable {
            var value: Double?
            enum CodingKeys: String, CodingKey { case value = "Value" }
        }
        var quota: Quota?
        enum CodingKeys: String, CodingKey { case quota = "Quota" }
    }

    /// The quotas of each region, kept for `lifetime` seconds of the polls' clock.
    final class Cache: Sendable {
        private let lifetime: TimeInterval
        private let entries = Mutex<[String: (quotas: AWSVCPUQuotas, fetchedAt: Date)]>([:])

        init(lifetime: TimeInterval) {
            self.lifetime = lifetime
        }

        /// `region`'s quotas as last fetched, or as `fetch` answers once they are older than the lifetime.
        func quotas(of region: String, at now: Date, fetch: () async -> AWSVCPUQuotas) async -> AWSVCPUQuotas {
            if let kept = entries.withLock({ $0[region] }), now.timeIntervalSince(kept.fetchedAt) < lifetime {
                return kept.quotas
            }
            let fresh = await fetch()
            entries.withLock { $0[region] = (fresh, now) }
            return fresh
        }
    }
}
