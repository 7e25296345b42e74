#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where the scheduler will not launch for a while, after a provider refused for lack of capacity
/// or a launch made no progress. A block covers exactly what the refusal showed: one offer, every
/// offer of a provider in one region, or the whole provider.
public struct CapacityBlocklist: Sendable, Equatable {
    /// What a block covers.
    public enum Scope: String, Sendable, Hashable, CaseIterable {
        case offer, region, provider
    }

    /// One block: which scope and of what.
    public struct Key: Sendable, Hashable, CustomStringConvertible {
        public var scope: Scope
        public var provider: String
        /// The region, for ``Scope/region``.
        public var region: String?
        /// The offer, for ``Scope/offer``.
        public var offer: OfferID?

        /// The key covering, at `scope`, the offer `offer` of `provider` in `region`.
        public init(_ scope: Scope, provider: String, region: String, offer: OfferID) {
            self.init(scope: scope, provider: provider, region: region, offer: offer)
        }

        /// A key as stored: `region` and `offer` are kept only where `scope` uses them.
        public init(scope: Scope, provider: String, region: String?, offer: OfferID?) {
            self.scope = scope
            self.provider = provider
            self.region = scope == .region ? region : nil
            self.offer = scope == .offer ? offer : nil
        }

        /// The key covering `offer` at `scope`.
        public init(_ scope: Scope, of offer: Offer) {
            self.init(scope, provider: offer.id.provider, region: offer.region, offer: offer.id)
        }

        public var description: String {
            switch scope {
            case .offer: "offer \(offer.map(String.init(describing:)) ?? "")"
            case .region: "provider \(provider) in \(region ?? "")"
            case .provider: "provider \(provider)"
            }
        }
    }

    /// How long a block lasts, by scope.
    public struct Durations: Sendable, Equatable {
        public var offer: Duration
        public var region: Duration
        public var provider: Duration

        public init(
            offer: Duration = .seconds(900), region: Duration = .seconds(600), provider: Duration = .seconds(300)
        ) {
            self.offer = offer
            self.region = region
            self.provider = provider
        }

        func duration(of scope: Scope) -> Duration {
            switch scope {
            case .offer: offer
            case .region: region
            case .provider: provider
            }
        }
    }

    public let durations: Durations
    private var until: [Key: Date] = [:]

    public init(durations: Durations = Durations()) {
        self.durations = durations
    }

    /// A blocklist of `blocks` (each key's end), as stored.
    public init(durations: Durations = Durations(), blocks: [Key: Date]) {
        self.durations = durations
        until = blocks
    }

    /// The blocks in force at `now`, each with its end.
    public func blocks(at now: Date) -> [Key: Date] { until.filter { $0.value > now } }

    /// Blocks `scope` of `offer` from `now` for the scope's duration (extending an existing block,
    /// never shortening it). Returns the key and when it ends.
    @discardableResult
    public mutating func block(_ scope: Scope, of offer: Offer, now: Date) -> (key: Key, until: Date) {
        block(Key(scope, of: offer), now: now)
    }

    /// Blocks `key` from `now` for its scope's duration (never shortening an existing block).
    @discardableResult
    public mutating func block(_ key: Key, now: Date) -> (key: Key, until: Date) {
        let scope = key.scope
        let end = now.addingTimeInterval(durations.duration(of: scope).timeInterval)
        until[key] = max(until[key] ?? end, end)
        return (key, until[key] ?? end)
    }

    /// True when any live block covers `offer`.
    public func isBlocked(_ offer: Offer, at now: Date) -> Bool {
        guard !until.isEmpty else { return false }
        return Scope.allCases.contains { scope in
            until[Key(scope, of: offer)].map { $0 > now } ?? false
        }
    }

    /// True when no block is live at `now`.
    public func isEmpty(at now: Date) -> Bool { !until.values.contains { $0 > now } }

    /// Forgets blocks that ended before `now`.
    public mutating func prune(now: Date) {
        until = until.filter { $0.value > now }
    }
}
