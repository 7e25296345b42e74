/// One list of offers a ``GangSearch`` scans: the positions in `offers` that make it up, cheapest
/// first (ties by id). An ``OfferBook`` lends its whole storage with one GPU's positions, so a
/// quote copies positions, never offers.
struct OfferList: Sendable {
    let offers: [Offer]
    let positions: [Int]

    subscript(position: Int) -> Offer { offers[position] }
}
