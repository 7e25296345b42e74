import Foundation

/// A provider's pricing API, as the poller sees it: one call gives every current offer.
public protocol PricingSource: Sendable {
    /// The configured provider id; every offer id starts with it.
    var providerID: String { get }

    /// Asks the provider for its current offers (following pagination), stamped `now`.
    func fetchOffers(transport: any HTTPTransport, now: Date) async throws(ProviderError) -> PricingSnapshot
}
