import BrokerCore
import Foundation

/// A static pool's offers: the machines its config lists, one offer per machine entry with
/// `available` = its count. No network: polling only refreshes when they were last seen.
public struct StaticPoolSource: PricingSource {
    public let providerID: String
    private let machines: [StaticMachine]

    public init(providerID: String, machines: [StaticMachine]) {
        self.providerID = providerID
        self.machines = machines
    }

    public func fetchOffers(transport: any HTTPTransport, now: Date) async throws(ProviderError) -> PricingSnapshot {
        PricingSnapshot(
            offers: machines.map { machine in
                Offer(
                    id: OfferID(provider: providerID, native: machine.name), gpu: .known(machine.gpu),
                    gpuCount: machine.gpus, gpuMemoryGB: machine.gpu.memoryGB, interconnect: nil,
                    vcpus: machine.vcpus, memoryGB: machine.memoryGB, diskGB: machine.diskGB, region: machine.region,
                    country: machine.country, market: machine.market, pricePerHour: machine.pricePerHour,
                    available: machine.count, reliability: nil, firstSeenAt: now, lastSeenAt: now, raw: nil)
            })
    }
}
