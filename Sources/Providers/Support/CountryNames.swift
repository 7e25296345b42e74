import Foundation

/// Countries as providers write them in location text ("Helsinki, Finland", "Virginia, USA"), to
/// ISO 3166-1 alpha-2 codes. Used by the JSON adapters; a name not listed gives no country.
enum CountryNames {
    /// Lowercased country names and common short forms → ISO code.
    private static let codesByName: [String: String] = [
        "usa": "US", "us": "US", "u.s.": "US", "u.s.a.": "US", "united states": "US",
        "united states of america": "US", "canada": "CA", "mexico": "MX", "brazil": "BR", "chile": "CL",
        "argentina": "AR", "colombia": "CO",
        "germany": "DE", "france": "FR", "netherlands": "NL", "the netherlands": "NL", "belgium": "BE",
        "luxembourg": "LU", "united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB",
        "scotland": "GB", "ireland": "IE", "iceland": "IS", "norway": "NO", "sweden": "SE", "finland": "FI",
        "denmark": "DK", "estonia": "EE", "latvia": "LV", "lithuania": "LT", "poland": "PL",
        "czech republic": "CZ", "czechia": "CZ", "slovakia": "SK", "austria": "AT", "switzerland": "CH",
        "italy": "IT", "spain": "ES", "portugal": "PT", "greece": "GR", "hungary": "HU", "romania": "RO",
        "bulgaria": "BG", "croatia": "HR", "slovenia": "SI", "serbia": "RS", "ukraine": "UA", "turkey": "TR",
        "türkiye": "TR", "russia": "RU", "israel": "IL", "united arab emirates": "AE", "uae": "AE",
        "saudi arabia": "SA", "qatar": "QA", "india": "IN", "japan": "JP", "south korea": "KR",
        "korea": "KR", "republic of korea": "KR", "taiwan": "TW", "hong kong": "HK", "china": "CN",
        "singapore": "SG", "malaysia": "MY", "thailand": "TH", "vietnam": "VN", "indonesia": "ID",
        "philippines": "PH", "australia": "AU", "new zealand": "NZ", "south africa": "ZA",
    ]

    /// The codes of the countries listed.
    static let knownCodes = Set(codesByName.values)

    /// The ISO code of a country name ("Finland" → "FI"), nil when not listed.
    static func code(forName name: some StringProtocol) -> String? {
        codesByName[name.trimmingCharacters(in: .whitespaces).lowercased()]
    }

    /// Whether `text` looks like an ISO 3166-1 alpha-2 code: two ASCII capital letters.
    static func isAlpha2Code(_ text: some StringProtocol) -> Bool {
        let utf8 = text.utf8
        return utf8.count == 2 && utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }

    /// The comma-separated parts of a location text, trimmed, empty ones dropped.
    static func parts(of text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
