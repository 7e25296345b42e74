import BrokerCore
import Foundation

@testable import Store

/// What several contract suites start from: the provider `vast` and its 8 × H100 machines in Utah.
enum ContractFixtures {
    /// Provider `vast`, registered at `date`.
    static func vast(at date: Date) -> ProviderRecord {
        ProviderRecord(
            id: "vast", kind: "vast", baseUrl: "http://127.0.0.1/vast", enabled: true, pollIntervalS: 60,
            offerExpiryS: 300, createdAt: date)
    }

    /// Vast's machine `native` (8 × H100-SXM, 4 available) at `dollars` an hour, seen at `date`.
    static func h100(_ native: String, market: Market = .spot, dollars: Double = 16, at date: Date) -> Offer {
        Offer(
            id: OfferID(provider: "vast", native: native), gpu: GPUName(resolving: "H100-SXM"), gpuCount: 8,
            gpuMemoryGB: 80, interconnect: nil, vcpus: 64, memoryGB: 512, diskGB: 100, region: "Utah, US",
            country: "US", market: market, pricePerHour: Money(dollars: dollars)!, available: 4, reliability: nil,
            firstSeenAt: date, lastSeenAt: date, raw: nil)
    }
}
