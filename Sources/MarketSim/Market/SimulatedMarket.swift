/// The whole generated market: every provider's offers, immutable once built; prices and capacity
/// at a given time are computed from it (see ``PriceDrift``).
struct SimulatedMarket: Sendable {
    let seed: UInt64
    let vast: VastMarket
    let runpod: RunPodMarket
    let lambda: LambdaMarket
    let aws: AWSMarket
    let shadeform: ShadeformMarket

    /// Builds a market of about `totalOffers` offers: the fixed catalogs of RunPod and Lambda, AWS
    /// and Shadeform scaled to a few percent of the size (capped by their catalogs), and Vast,
    /// which lists individual machines, for the rest.
    init(seed: UInt64, totalOffers: Int) {
        self.seed = seed
        let total = max(0, totalOffers)
        runpod = RunPodMarket.generate(seed: seed)
        lambda = LambdaMarket.generate(seed: seed, maximumPairs: max(total / 100, 1))
        aws = AWSMarket.generate(seed: seed, maximumSeries: max(total * 3 / 100, 24))
        shadeform = ShadeformMarket.generate(seed: seed, targetPairs: max(total * 2 / 100, 12))
        let fixed = runpod.types.count + lambda.pairCount + aws.series.count + shadeform.pairCount
        vast = VastMarket.generate(count: max(0, total - fixed), seed: seed)
    }

    /// Offers per provider, as listed in total.
    var offerCounts: [SimulatedProvider: Int] {
        [
            .vast: vast.offers.count,
            .runpod: runpod.types.count,
            .lambda: lambda.pairCount,
            .aws: aws.series.count,
            .shadeform: shadeform.pairCount,
        ]
    }

    /// Offers per provider that have capacity at `time`.
    func availableCounts(at time: Double) -> [SimulatedProvider: Int] {
        [
            .vast: vast.offers.reduce(0) { $0 + (vast.isListed($1, at: time) ? 1 : 0) },
            .runpod: runpod.types.reduce(0) { $0 + (runpod.quote($1, at: time).stockStatus == nil ? 0 : 1) },
            .lambda: lambda.types.reduce(0) { $0 + lambda.regionsWithCapacity($1, at: time).count },
            .aws: aws.series.count,
            .shadeform: shadeform.types.reduce(0) { count, type in
                count + type.regions.filter { shadeform.isAvailable(type, region: $0, at: time) }.count
            },
        ]
    }
}
