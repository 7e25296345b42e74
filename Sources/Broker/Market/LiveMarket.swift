import BrokerCore
import Foundation
import Store
import Synchronization

/// The daemon's current ``BrokerCore/OfferBook``: the pollers replace it after each poll, the API
/// searches whichever book is current (a value: no lock is held while searching).
public final class LiveMarket: Sendable {
    /// The book, and how many books came before it.
    private let book: Mutex<(book: OfferBook, version: Int)>
    /// Serializes changes, so two providers' polls finishing together both land; readers only
    /// wait for the swap of the finished book, never for its sorting.
    private let changes = Mutex(())

    public init(_ book: OfferBook = OfferBook()) {
        self.book = Mutex((book, 0))
    }

    /// A market holding the store's live offers, as at start-up.
    public static func loading(from offers: any OfferRepository) async throws -> LiveMarket {
        LiveMarket(OfferBook(offers: try await offers.liveOffers(), listedAt: try await offers.listingTimes()))
    }

    /// The book to search now.
    public var current: OfferBook { book.withLock { $0.book } }

    /// The book to search now, and how many books came before it (a new version for every change).
    public var versioned: (book: OfferBook, version: Int) { book.withLock { $0 } }

    /// Takes in a poll of `provider` that listed `listing` at `now` (nil: the poll failed), once
    /// `store` has stored what it changes: when `store` throws, the book stays as it was, as the
    /// store does. Only this provider's poller changes its offers, so when another provider's poll
    /// landed meanwhile, the same poll taken in by the newer book changes the same offers.
    public func apply<Stored>(
        provider: String, listing: [Offer]?, at now: Date, expiredBefore cutoff: Date,
        store: (OfferChanges) async throws -> Stored
    ) async throws -> Stored {
        let (base, version) = book.withLock { $0 }
        let (updated, offerChanges) = base.updated(
            provider: provider, listing: listing, at: now, expiredBefore: cutoff)
        let stored = try await store(offerChanges)
        changes.withLock { _ in
            let landed =
                book.withLock { $0.version } == version
                ? updated : current.updated(provider: provider, listing: listing, at: now, expiredBefore: cutoff).book
            book.withLock { $0 = (landed, $0.version + 1) }
        }
        return stored
    }

    /// Sets `provider`'s offers to `stored`, the live offers another broker's poll of it, listed at
    /// `listedAt`, left in the store: this broker's book follows polls it does not make.
    public func follow(provider: String, stored: [Offer], listedAt: Date) {
        changes.withLock { _ in
            let updated = current.updated(
                provider: provider, listing: stored, at: listedAt, expiredBefore: .distantFuture
            ).book
            book.withLock { $0 = (updated, $0.version + 1) }
        }
    }

    /// Sets `provider`'s offers to `seen`, those of its others seen before `cutoff` gone: an owner
    /// pool's machines, which are not stored.
    public func record(provider: String, seen: [Offer], expiredBefore cutoff: Date) {
        changes.withLock { _ in
            let updated = current.updating(provider: provider, seen: seen, expiredBefore: cutoff)
            book.withLock { $0 = (updated, $0.version + 1) }
        }
    }
}
