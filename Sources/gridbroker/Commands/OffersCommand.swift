import ArgumentParser
import BrokerHTTP
import Foundation

/// `gridbroker offers`: search the live market.
struct OffersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offers", abstract: "Search live offers, cheapest first.")

    @OptionGroup var api: APIOptions
    @Option(help: "GPU models or families, comma-separated (H100, A100-80GB, RTX4090).") var gpu: String?
    @Option(name: .customLong("min-gpus"), help: "At least this many GPUs per offer.") var minGPUs: Int?
    @Option(name: .customLong("min-gpu-memory"), help: "At least this much memory per GPU, in GB.")
    var minGPUMemory: Int?
    @Option(help: "on_demand or spot.") var market: String?
    @Option(name: .customLong("max-price"), help: "At most this many USD per hour for the whole offer.")
    var maxPrice: String?
    @Option(help: "ISO country codes, comma-separated.") var country: String?
    @Option(help: "Regions, comma-separated.") var region: String?
    @Option(help: "Provider ids, comma-separated.") var provider: String?
    @Option(help: "price or price_per_gpu.") var sort: String?
    @Option(help: "How many offers (1-1000).") var limit: Int = 20

    func run() async throws {
        let client = try api.client()
        let body = try await client.get(
            "/v1/offers",
            query: [
                ("gpu", gpu), ("min_gpus", minGPUs.map(String.init)),
                ("min_gpu_memory_gb", minGPUMemory.map(String.init)),
                ("market", market), ("max_price", maxPrice), ("country", country), ("region", region),
                ("provider", provider), ("sort", sort), ("limit", String(limit)),
            ])
        if api.json {
            print(String(decoding: body, as: UTF8.self))
            return
        }
        let list = try client.decode(OfferListResponse.self, from: body)
        var table = TextTable([
            ("OFFER", .left), ("GPU", .left), ("GPUS", .right), ("MEM/GPU", .right), ("MARKET", .left),
            ("REGION", .left), ("CC", .left), ("$/H", .right), ("$/GPU-H", .right), ("AVAIL", .right),
        ])
        for offer in list.offers {
            table.append([
                offer.id, offer.gpu, String(offer.gpuCount), "\(offer.gpuMemoryGB) GB", offer.market, offer.region,
                offer.country ?? "-", usd(offer.pricePerHour), usd(offer.pricePerGPUHour), String(offer.available),
            ])
        }
        print(list.offers.isEmpty ? "no offers match" : table.rendered)
    }
}
