import ArgumentParser
import BrokerHTTP

/// `gridbroker gpus`: the market per GPU model.
struct GPUsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpus", abstract: "Per GPU model: offers, cheapest and median price per GPU-hour by market.")

    @OptionGroup var api: APIOptions

    func run() async throws {
        let client = try api.client()
        let body = try await client.get("/v1/gpus")
        if api.json {
            print(String(decoding: body, as: UTF8.self))
            return
        }
        let list = try client.decode(GPUListResponse.self, from: body)
        var table = TextTable([
            ("GPU", .left), ("OFFERS", .right), ("ON-DEMAND MIN", .right), ("MEDIAN", .right), ("SPOT MIN", .right),
            ("MEDIAN", .right),
        ])
        for gpu in list.gpus {
            let onDemand = gpu.markets["on_demand"]
            let spot = gpu.markets["spot"]
            table.append([
                gpu.gpu, String(gpu.offers), onDemand.map { usd($0.cheapestPerGPUHour) } ?? "-",
                onDemand.map { usd($0.medianPerGPUHour) } ?? "-", spot.map { usd($0.cheapestPerGPUHour) } ?? "-",
                spot.map { usd($0.medianPerGPUHour) } ?? "-",
            ])
        }
        print(list.gpus.isEmpty ? "no offers yet" : table.rendered)
    }
}
