/// The identity of an offer: the provider's configured id and the provider's own id for it,
/// written "provider:native" (e.g. "vast:7835610").
///
/// The provider id must not contain ':'; the native id may (only the first ':' separates them).
/// Encoded and decoded as that string.
public struct OfferID: Sendable, Hashable, Comparable, Codable, LosslessStringConvertible {
    /// The provider's id from the configuration, e.g. "vast".
    public var provider: String
    /// The provider's own id for the offer.
    public var native: String

    public init(provider: String, native: String) {
        self.provider = provider
        self.native = native
    }

    /// Parses "provider:native"; nil unless both parts are non-empty.
    public init?(_ description: String) {
        guard let colon = description.firstIndex(of: ":") else { return nil }
        let provider = description[..<colon]
        let native = description[description.index(after: colon)...]
        guard !provider.isEmpty, !native.isEmpty else { return nil }
        self.init(provider: String(provider), native: String(native))
    }

    public var description: String { "\(provider):\(native)" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = OfferID(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not an offer id of the form provider:native")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// By provider, then native id: the tie-break of every offer ordering.
    public static func < (lhs: OfferID, rhs: OfferID) -> Bool {
        lhs.provider != rhs.provider ? lhs.provider < rhs.provider : lhs.native < rhs.native
    }
}
