/// The faults one provider's simulated API injects, set at start-up (``MarketConfiguration``) or
/// at run time (`PUT /_sim/faults/{provider}`).
///
/// JSON form (all keys optional, missing ones mean "no fault"):
/// `{"latency_ms": 250, "error_rate": 0.1, "rate_limit": {"retry_after_s": 2}, "malformed": false,
///   "truncated": false, "no_capacity": false}`.
public struct FaultPlan: Sendable, Codable, Hashable {
    /// Rate limiting: while set, every request is answered with HTTP 429 and a `Retry-After` header.
    public struct RateLimit: Sendable, Codable, Hashable {
        /// The `Retry-After` value, in seconds.
        public var retryAfterSeconds: Int

        public init(retryAfterSeconds: Int) {
            self.retryAfterSeconds = retryAfterSeconds
        }

        private enum CodingKeys: String, CodingKey {
            case retryAfterSeconds = "retry_after_s"
        }
    }

    /// Added delay before every answer, in milliseconds.
    public var latencyMilliseconds: Int
    /// Share of requests (0…1) answered with a 5xx in the provider's error shape; decided by the
    /// simulator's seeded generator.
    public var errorRate: Double
    /// When set, every request is answered 429 with `Retry-After`.
    public var rateLimit: RateLimit?
    /// Answer with a body that is not valid JSON (or XML).
    public var malformed: Bool
    /// Answer with the first half of a valid body, with a `Content-Length` matching the cut body.
    public var truncated: Bool

    /// Refuse every launch for lack of capacity, in the provider's own words (pricing answers
    /// are unchanged), so tests can force a failover.
    public var noCapacity: Bool

    /// No faults.
    public static let none = FaultPlan()

    public init(
        latencyMilliseconds: Int = 0, errorRate: Double = 0, rateLimit: RateLimit? = nil, malformed: Bool = false,
        truncated: Bool = false, noCapacity: Bool = false
    ) {
        self.latencyMilliseconds = latencyMilliseconds
        self.errorRate = errorRate
        self.rateLimit = rateLimit
        self.malformed = malformed
        self.truncated = truncated
        self.noCapacity = noCapacity
    }

    /// Whether the plan injects anything.
    public var isEmpty: Bool { self == .none }

    /// A reason the plan cannot be applied, or nil when it is valid.
    public var validationError: String? {
        if latencyMilliseconds < 0 || latencyMilliseconds > 600_000 { return "latency_ms must be in 0...600000" }
        if !(0...1).contains(errorRate) { return "error_rate must be in 0...1" }
        if let rateLimit, rateLimit.retryAfterSeconds < 0 { return "rate_limit.retry_after_s must not be negative" }
        return nil
    }

    private enum CodingKeys: String, CodingKey {
        case latencyMilliseconds = "latency_ms"
        case errorRate = "error_rate"
        case rateLimit = "rate_limit"
        case malformed
        case truncated
        case noCapacity = "no_capacity"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        latencyMilliseconds = try container.decodeIfPresent(Int.self, forKey: .latencyMilliseconds) ?? 0
        errorRate = try container.decodeIfPresent(Double.self, forKey: .errorRate) ?? 0
        rateLimit = try container.decodeIfPresent(RateLimit.self, forKey: .rateLimit)
        malformed = try container.decodeIfPresent(Bool.self, forKey: .malformed) ?? false
        truncated = try container.decodeIfPresent(Bool.self, forKey: .truncated) ?? false
        noCapacity = try container.decodeIfPresent(Bool.self, forKey: .noCapacity) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(latencyMilliseconds, forKey: .latencyMilliseconds)
        try container.encode(errorRate, forKey: .errorRate)
        try container.encode(rateLimit, forKey: .rateLimit)
        try container.encode(malformed, forKey: .malformed)
        try container.encode(truncated, forKey: .truncated)
        try container.encode(noCapacity, forKey: .noCapacity)
    }
}
