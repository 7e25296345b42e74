import BrokerCore
import Foundation
import Store
import Synchronization

/// The daemon's current ``BrokerCore/OfferBook``: the pollers replace it after each poll, the API
/// searches whichever book is current (a value: no lock is held while searching).
public final class LiveMarket: Sendable {
    private let book: Mutex<OfferBook>
    /// Serializes changes, so two providers' polls finishing together both land; readers only
    /// wait for the swap of the finished book, never for its sorting.
    private let changes = Mutex(())

    public init(_ book: OfferBook = OfferBook()) {
        self.book = Mutex(book)
    }

    /// A market holding the store's live offers, as at start-up.
    public static func loading(from offers: any OfferRepository) async throws -> LiveMarket {
        LiveMarket(OfferBook(offers: try await offers.liveOffers()))
    }

    /// The book to search now.
    public var current: OfferBook { book.withLock { $0 } }

    /// After a successful poll of `provider` (the same rule the store applied in the same poll).
    public func record(provider: String, seen: [Offer], expiredBefore cutoff: Date) {
        change { $0.updating(provider: provider, seen: seen, expiredBefore: cutoff) }
    }

    /// After a failed poll: the provider's offers last seen before `cutoff` go.
    public func withdraw(provider: String, before cutoff: Date) {
        change { $0.withdrawing(provider: provider, before: cutoff) }
    }

    private func change(_ makeBook: (OfferBook) -> OfferBook) {
        changes.withLock { _ in
            let updated = makeBook(current)
            book.withLock { $0 = updated }
        }
    }
}
