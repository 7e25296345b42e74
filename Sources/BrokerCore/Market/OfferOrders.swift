/// Offers in both search orders (price, then price per GPU-hour; ties by id), as slots of an
/// ``OfferStorage``.
///
/// Built by sorting once; after that a poll is taken in by dropping the slots that left or moved
/// and merging the new ones in: linear in the market, not a re-sort of it, and nothing at all
/// when no offer changed place.
struct OfferOrders: Sendable {
    private(set) var byPrice: [Int32]
    private(set) var byPricePerGPU: [Int32]

    static let priceOrder = OfferFilter(sort: .price)
    private static let perGPUOrder = OfferFilter(sort: .pricePerGPU)

    init(_ slots: [Int32], in storage: OfferStorage) {
        byPrice = Self.sorted(slots, by: Self.priceOrder, in: storage)
        byPricePerGPU = Self.sorted(slots, by: Self.perGPUOrder, in: storage)
    }

    var isEmpty: Bool { byPrice.isEmpty }

    func ordered(by sort: OfferFilter.Sort) -> [Int32] {
        sort == .price ? byPrice : byPricePerGPU
    }

    /// These orders without the slots `removed` says are gone, and with `inserted` (slots not in
    /// them yet) in place.
    func replacing(removed: OfferStorage.Mask?, inserted: [Int32], in storage: OfferStorage) -> OfferOrders {
        var result = self
        result.byPrice = Self.replacing(byPrice, removed, inserted, by: Self.priceOrder, in: storage)
        result.byPricePerGPU = Self.replacing(byPricePerGPU, removed, inserted, by: Self.perGPUOrder, in: storage)
        return result
    }

    private static func sorted(_ slots: [Int32], by order: OfferFilter, in storage: OfferStorage) -> [Int32] {
        storage.withOffers { offers in
            slots.sorted { order.orders(offers[Int($0)], before: offers[Int($1)]) }
        }
    }

    private static func replacing(
        _ ordered: [Int32], _ removed: OfferStorage.Mask?, _ inserted: [Int32], by order: OfferFilter,
        in storage: OfferStorage
    ) -> [Int32] {
        let kept = removed.map { mask in ordered.filter { !mask.contains($0) } } ?? ordered
        return merge(kept, sorted(inserted, by: order, in: storage), by: order, in: storage)
    }

    /// `ordered` with the sorted `inserted` in place: each found by binary search, the runs between
    /// them copied whole, so a few new slots cost a few comparisons, not one per offer.
    private static func merge(_ ordered: [Int32], _ inserted: [Int32], by order: OfferFilter, in storage: OfferStorage)
        -> [Int32]
    {
        guard !inserted.isEmpty else { return ordered }
        return storage.withOffers { offers in
            var merged: [Int32] = []
            merged.reserveCapacity(ordered.count + inserted.count)
            var start = 0
            for slot in inserted {
                var (low, high) = (start, ordered.count)
                while low < high {
                    let middle = (low + high) / 2
                    if order.orders(offers[Int(slot)], before: offers[Int(ordered[middle])]) {
                        high = middle
                    } else {
                        low = middle + 1
                    }
                }
                merged += ordered[start..<low]
                merged.append(slot)
                start = low
            }
            merged += ordered[start...]
            return merged
        }
    }
}
