extension JobSpec: Encodable {
    enum CodingKeys: String, CodingKey {
        case name
        case resources
        case placement
        case market
        case maxPricePerHour = "max_price_per_hour"
        case budget = "budget_usd"
        case deadline
        case work
        case dataset
        case checkpoint
        case image
        case command
        case env
    }

    /// Writes the spec in the shape ``decode(json:catalog:now:)`` reads: money as decimal dollars,
    /// the deadline as an RFC 3339 timestamp in UTC, absent optionals left out, defaults written.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(resources, forKey: .resources)
        try container.encode(placement, forKey: .placement)
        try container.encode(market, forKey: .market)
        try container.encodeIfPresent(maxPricePerHour?.decimalDollars, forKey: .maxPricePerHour)
        try container.encodeIfPresent(budget?.decimalDollars, forKey: .budget)
        try container.encodeIfPresent(deadline.map(RFC3339.string(from:)), forKey: .deadline)
        try container.encodeIfPresent(work, forKey: .work)
        try container.encodeIfPresent(dataset, forKey: .dataset)
        try container.encodeIfPresent(checkpoint, forKey: .checkpoint)
        try container.encode(image, forKey: .image)
        try container.encode(command, forKey: .command)
        try container.encode(env, forKey: .env)
    }
}
