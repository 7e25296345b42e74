#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A claim by one broker on a piece of work several brokers share (a provider's polls, the
/// scheduler's passes) until `expiresAt`. Each taking of it gets a new `token`, so a write made
/// under a lease that was lost since can be told from one made under the lease now in force.
public struct Lease: Sendable, Equatable {
    public var name: String
    /// The broker that holds it (see ``LeaseRules``).
    public var owner: String
    public var token: String
    public var expiresAt: Date

    public init(name: String, owner: String, token: String, expiresAt: Date) {
        self.name = name
        self.owner = owner
        self.token = token
        self.expiresAt = expiresAt
    }
}

/// Who may hold a lease, and when its holder renews it.
public enum LeaseRules {
    /// What `owner` gets when it asks at `now` for the lease `name` stored as `current` (nil: never
    /// taken), to run until `until`: the lease, kept with its token when it is already `owner`'s
    /// and in force, taken with `newToken` when it is free or expired; nil while another holds it.
    public static func take(
        _ name: String, current: Lease?, owner: String, newToken: String, until: Date, now: Date
    ) -> Lease? {
        if let current, current.expiresAt > now {
            guard current.owner == owner else { return nil }
            return Lease(name: name, owner: owner, token: current.token, expiresAt: max(until, current.expiresAt))
        }
        return Lease(name: name, owner: owner, token: newToken, expiresAt: until)
    }

    /// Whether the holder of `lease` (for `duration` at a time) should renew it at `now`: once a
    /// third of it is spent, so that a pass or two that run late do not lose it.
    public static func needsRenewal(_ lease: Lease, duration: Duration, now: Date) -> Bool {
        lease.expiresAt.timeIntervalSince(now) < duration.timeInterval * 2 / 3
    }
}
