extension JobSpec {
    /// Where the job's nodes may run.
    public struct Placement: Sendable, Equatable, Encodable {
        /// ISO 3166-1 alpha-2 codes, uppercase; empty means anywhere.
        public var countries: [String]
        /// Provider ids never to use.
        public var excludeProviders: [String]
        /// Whether all nodes must be in one region (true unless said otherwise).
        public var sameRegion: Bool

        public init(countries: [String] = [], excludeProviders: [String] = [], sameRegion: Bool = true) {
            self.countries = countries
            self.excludeProviders = excludeProviders
            self.sameRegion = sameRegion
        }

        enum CodingKeys: String, CodingKey {
            case countries
            case excludeProviders = "exclude_providers"
            case sameRegion = "same_region"
        }
    }
}

extension JobSpec.Placement {
    /// Reads a placement. Country codes are checked for shape (two ASCII letters), not against the
    /// ISO list, and lowercase codes are accepted and uppercased ("de" → "DE").
    static func read(_ field: JSONField, with reader: inout JSONFieldReader) -> Self? {
        guard var object = reader.object(field) else { return nil }
        let countries = reader.optional("countries", of: &object) {
            $0.strings($1, element: Self.readCountry, uniqueBy: { $0 })
        }
        let excludeProviders = reader.optional("exclude_providers", of: &object) {
            $0.strings($1, element: { $0.text($1) }, uniqueBy: { $0 })
        }
        let sameRegion = reader.optional("same_region", of: &object) { $0.bool($1) }
        reader.close(object)
        return Self(
            countries: countries ?? [], excludeProviders: excludeProviders ?? [], sameRegion: sameRegion ?? true)
    }

    private static func readCountry(_ reader: inout JSONFieldReader, _ field: JSONField) -> String? {
        guard let code = reader.string(field) else { return nil }
        guard code.utf8.count == 2, code.utf8.allSatisfy(\.isASCIILetter) else {
            reader.report(field.path, "'\(code)' is not a two-letter ISO 3166-1 country code")
            return nil
        }
        return code.uppercased()
    }
}
