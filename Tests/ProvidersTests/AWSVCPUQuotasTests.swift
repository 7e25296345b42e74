import BrokerCore
import CurlHTTP
import Foundation
import Testing

@testable import Providers

@Suite("AWS capacity from vCPU quotas")
struct AWSVCPUQuotasTests {
    /// Answers each GetServiceQuota with `quotas[code]`, or Service Quotas' NoSuchResourceException.
    final class QuotaService: HTTPTransport, Sendable {
        let quotas: [String: Double]
        let requests = RecordedTransport(status: 200, body: "")

        init(_ quotas: [String: Double]) { self.quotas = quotas }

        func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
            _ = try await requests.execute(request)
            guard request.headers["X-Amz-Target"] == "ServiceQuotasV20190624.GetServiceQuota" else {
                return try AWSTestSupport.fixture("spot-price-history")
            }
            let code = (request.jsonBody?["QuotaCode"] as? String) ?? ""
            guard let value = quotas[code] else {
                return HTTPResponse(
                    status: 400,
                    body: Array(#"{"__type": "NoSuchResourceException", "message": "not available"}"#.utf8))
            }
            return HTTPResponse(
                status: 200,
                body: Array(#"{"Quota": {"ServiceCode": "ec2", "QuotaCode": "\#(code)", "Value": \#(value)}}"#.utf8))
        }
    }

    @Test("without max_instances, each offer's capacity is what its family's quota leaves room for")
    func capacityFromQuota() async throws {
        // P on-demand 384 vCPUs: 4 p4d.24xlarge (96 each); P spot 192: 2; G on-demand: unknown → 1.
        let service = QuotaService(["L-417A185B": 384, "L-7212CCBC": 192])
        let source = AWSTestSupport.source(
            onDemandPrices: [
                "p4d.24xlarge": Money(microdollars: 32_772_000), "g5.xlarge": Money(microdollars: 1_006_000),
            ],
            maxInstances: [:])
        let snapshot = try await source.fetchOffers(transport: service, now: AWSTestSupport.now)
        let available = Dictionary(
            snapshot.offers.map { ($0.id.native, $0.available) }, uniquingKeysWith: { first, _ in first })
        #expect(available["p4d.24xlarge:us-east-1:on_demand"] == 4)
        #expect(
            available.filter { $0.key.hasPrefix("p4d.24xlarge:") && $0.key.hasSuffix(":spot") }.values.allSatisfy {
                $0 == 2
            })
        #expect(available.filter { $0.key.hasPrefix("g5.xlarge:") }.values.allSatisfy { $0 == 1 })

        let asked = service.requests.requests.filter { $0.headers["X-Amz-Target"] != nil }
        #expect(asked.count == 4, "one GetServiceQuota per family and market")
        // The next poll within the hour asks no quota again; one after it does.
        _ = try await source.fetchOffers(transport: service, now: AWSTestSupport.now.addingTimeInterval(600))
        let quotaCalls = { service.requests.requests.filter { $0.headers["X-Amz-Target"] != nil }.count }
        #expect(quotaCalls() == 4)
        _ = try await source.fetchOffers(transport: service, now: AWSTestSupport.now.addingTimeInterval(3_601))
        #expect(quotaCalls() == 8)
        for request in asked {
            #expect(request.method == .post)
            #expect(request.url == "https://servicequotas.us-east-1.amazonaws.com/")
            #expect(request.headers["Content-Type"] == "application/x-amz-json-1.1")
            #expect(request.headers["Authorization"]?.contains("/us-east-1/servicequotas/aws4_request") == true)
            #expect(request.jsonBody?["ServiceCode"] as? String == "ec2")
        }
    }

    @Test("max_instances, where configured, is the capacity, and no quota is asked for")
    func configuredCapacity() async throws {
        let service = QuotaService(["L-417A185B": 384])
        let source = AWSTestSupport.source(
            onDemandPrices: ["p4d.24xlarge": Money(microdollars: 32_772_000)], maxInstances: ["us-east-1": 6])
        let snapshot = try await source.fetchOffers(transport: service, now: AWSTestSupport.now)
        #expect(!snapshot.offers.isEmpty && snapshot.offers.allSatisfy { $0.available == 6 })
        #expect(service.requests.requests.allSatisfy { $0.headers["X-Amz-Target"] == nil })
    }

    @Test("a quota too small for one instance is no capacity; the family comes from the type's name")
    func quotaArithmetic() {
        let p4d = AWSInstanceType.gpuTypes.first { $0.name == "p4d.24xlarge" }!
        let g5 = AWSInstanceType.gpuTypes.first { $0.name == "g5.xlarge" }!
        let quotas = AWSVCPUQuotas(vcpus: ["L-417A185B": 95, "L-DB2E81BA": 8])
        #expect(quotas.instances(of: p4d, market: .onDemand) == 0)
        #expect(quotas.instances(of: g5, market: .onDemand) == 2)
        #expect(quotas.instances(of: g5, market: .spot) == nil)
        #expect(
            AWSVCPUQuotas.endpoint(besideEC2: "https://ec2.{region}.amazonaws.com")
                == "https://servicequotas.{region}.amazonaws.com")
        #expect(AWSVCPUQuotas.endpoint(besideEC2: "http://127.0.0.1:5055") == "http://127.0.0.1:5055")
    }
}
