import BrokerCore

/// An owner pool the config file declares (the embedded default's `campus`). At start it is
/// created, or brought in line with the file; its machines still join with a join token.
public struct OwnerPoolConfiguration: Sendable, Equatable {
    /// Also its provider id: its machines' offers are `<id>:<machine>`.
    public var id: String
    public var name: String
    /// ISO 3166 alpha-2.
    public var country: String
    public var region: String
    public var terms: PoolTerms
    /// `false` turns the pool off at start; `true` leaves an operator's disable alone.
    public var enabled: Bool

    public init(id: String, name: String, country: String, region: String, terms: PoolTerms, enabled: Bool = true) {
        self.id = id
        self.name = name
        self.country = country
        self.region = region
        self.terms = terms
        self.enabled = enabled
    }
}
