/// Offers in both search orders (price, then price per GPU-hour; ties by id).
///
/// Built by sorting once; after that a provider's poll is taken in by dropping the provider's
/// old offers and merging its new ones: linear in the market, not a re-sort of it.
struct OfferOrders: Sendable {
    private(set) var byPrice: [Offer]
    private(set) var byPricePerGPU: [Offer]

    static let priceOrder = OfferFilter(sort: .price)
    private static let perGPUOrder = OfferFilter(sort: .pricePerGPU)

    init(_ offers: [Offer]) {
        let (priceOrder, perGPUOrder) = (Self.priceOrder, Self.perGPUOrder)
        byPrice = offers.sorted { priceOrder.orders($0, before: $1) }
        byPricePerGPU = offers.sorted { perGPUOrder.orders($0, before: $1) }
    }

    var isEmpty: Bool { byPrice.isEmpty }

    func ordered(by sort: OfferFilter.Sort) -> [Offer] {
        sort == .price ? byPrice : byPricePerGPU
    }

    /// These orders with `provider`'s offers replaced by `offers` (which all belong to it).
    func replacing(provider: String, with offers: [Offer]) -> OfferOrders {
        let incoming = OfferOrders(offers)
        var result = self
        result.byPrice = Self.merge(
            byPrice.filter { $0.providerID != provider }, incoming.byPrice, by: Self.priceOrder)
        result.byPricePerGPU = Self.merge(
            byPricePerGPU.filter { $0.providerID != provider }, incoming.byPricePerGPU, by: Self.perGPUOrder)
        return result
    }

    /// The two sorted lists as one sorted list.
    private static func merge(_ left: [Offer], _ right: [Offer], by order: OfferFilter) -> [Offer] {
        guard !right.isEmpty else { return left }
        guard !left.isEmpty else { return right }
        var merged: [Offer] = []
        merged.reserveCapacity(left.count + right.count)
        var (i, j) = (0, 0)
        while i < left.count && j < right.count {
            if order.orders(right[j], before: left[i]) {
                merged.append(right[j])
                j += 1
            } else {
                merged.append(left[i])
                i += 1
            }
        }
        merged += left[i...]
        merged += right[j...]
        return merged
    }
}
