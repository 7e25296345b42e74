/// What one poll changes in an ``OfferBook``'s orders: offers that came (new slots), moved (their
/// price, GPU, count or market changed: out of the orders and back in at the same slot) or
/// expired, and the GPUs they concern. Offers only seen again change no order.
struct BookChange {
    private enum Mark: UInt8 {
        case unseen, seen, moved, added
    }

    private var marks: [Mark]
    /// Offers new to the provider, by native id, and their slots.
    private(set) var addedIDs: [String: Int32] = [:]
    private var added: [Int32] = []
    private var moved: [Int32] = []
    private(set) var expired: [Int32] = []
    /// Native ids of the offers expired.
    private(set) var expiredIDs: [String] = []
    /// The GPUs whose orders and summaries change.
    private(set) var gpus: Set<String> = []

    /// A change to a storage of `slotCount` slots.
    init(slotCount: Int) {
        marks = Array(repeating: .unseen, count: slotCount)
    }

    mutating func add(_ id: String, at slot: Int32, gpu: String) {
        addedIDs[id] = slot
        added.append(slot)
        if Int(slot) < marks.count { marks[Int(slot)] = .added } else { marks.append(.added) }
        gpus.insert(gpu)
    }

    mutating func see(_ slot: Int32) {
        if marks[Int(slot)] == .unseen { marks[Int(slot)] = .seen }
    }

    mutating func move(_ slot: Int32, from old: String, to new: String) {
        gpus.formUnion([old, new])
        // A slot added by this poll goes into the orders anyway; a moved one is listed once.
        guard marks[Int(slot)] == .unseen || marks[Int(slot)] == .seen else { return }
        marks[Int(slot)] = .moved
        moved.append(slot)
    }

    func wasSeen(_ slot: Int32) -> Bool { marks[Int(slot)] != .unseen }

    mutating func expire(_ id: String, at slot: Int32, gpu: String) {
        expired.append(slot)
        expiredIDs.append(id)
        gpus.insert(gpu)
    }

    var changesOrders: Bool { !added.isEmpty || !moved.isEmpty || !expired.isEmpty }

    /// The slots to put into the orders.
    var inserted: [Int32] { moved + added }

    /// The slots to take out of the orders; nil when none.
    var removedMask: OfferStorage.Mask? {
        guard !moved.isEmpty || !expired.isEmpty else { return nil }
        var mask = OfferStorage.Mask(count: marks.count)
        for slot in moved + expired { mask.insert(slot) }
        return mask
    }
}
