/// Where AWS's regions are: region name → ISO 3166-1 alpha-2 country code.
enum AWSRegions {
    static let countries: [String: String] = [
        "us-east-1": "US", "us-east-2": "US", "us-west-1": "US", "us-west-2": "US",
        "us-gov-east-1": "US", "us-gov-west-1": "US",
        "ca-central-1": "CA", "ca-west-1": "CA", "mx-central-1": "MX", "sa-east-1": "BR",
        "eu-central-1": "DE", "eu-central-2": "CH", "eu-west-1": "IE", "eu-west-2": "GB", "eu-west-3": "FR",
        "eu-north-1": "SE", "eu-south-1": "IT", "eu-south-2": "ES",
        "ap-northeast-1": "JP", "ap-northeast-2": "KR", "ap-northeast-3": "JP", "ap-east-1": "HK",
        "ap-east-2": "TW", "ap-southeast-1": "SG", "ap-southeast-2": "AU", "ap-southeast-3": "ID",
        "ap-southeast-4": "AU", "ap-southeast-5": "MY", "ap-southeast-7": "TH", "ap-south-1": "IN",
        "ap-south-2": "IN", "me-south-1": "BH", "me-central-1": "AE", "il-central-1": "IL", "af-south-1": "ZA",
        "cn-north-1": "CN", "cn-northwest-1": "CN",
    ]

    /// The country of `region`; regions not in the table but named "us-…" are in the US; otherwise nil.
    static func country(of region: String) -> String? {
        if let country = countries[region] { return country }
        return region.hasPrefix("us-") ? "US" : nil
    }
}
