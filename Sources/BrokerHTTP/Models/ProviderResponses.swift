import Broker
import BrokerCore
import Foundation
import Store

/// A provider and the health of its pricing API, for `GET /v1/admin/providers`.
public struct ProviderResponse: Codable, Sendable, Equatable {
    public var id: String
    public var kind: String
    public var baseURL: String
    public var enabled: Bool
    public var pollIntervalS: Int
    public var offerExpiryS: Int
    /// Live offers.
    public var offers: Int
    public var lastPollAt: Date?
    public var lastSuccessAt: Date?
    public var lastPollDurationMs: Int?
    public var consecutiveFailures: Int
    public var lastError: String?
    /// `closed` (healthy), `open` (backing off), `half_open` (trying again).
    public var circuitState: String
    /// `healthy`, `degraded` (failing, offers still fresh) or `down` (circuit open), `disabled`.
    public var status: String

    public init(_ record: ProviderRecord, offers: Int) {
        id = record.id
        kind = record.kind
        baseURL = record.baseUrl
        enabled = record.enabled
        pollIntervalS = record.pollIntervalS
        offerExpiryS = record.offerExpiryS
        self.offers = offers
        lastPollAt = record.lastPollAt
        lastSuccessAt = record.lastSuccessAt
        lastPollDurationMs = record.lastPollDurationMs
        consecutiveFailures = record.consecutiveFailures
        lastError = record.lastError
        circuitState = record.circuitState.rawValue
        status = Self.status(of: record)
    }

    private static func status(of record: ProviderRecord) -> String {
        if !record.enabled { return "disabled" }
        if record.circuitState != .closed { return "down" }
        return record.consecutiveFailures > 0 ? "degraded" : "healthy"
    }

    public enum CodingKeys: String, CodingKey {
        case id, kind, enabled, offers, status
        case baseURL = "base_url"
        case pollIntervalS = "poll_interval_s"
        case offerExpiryS = "offer_expiry_s"
        case lastPollAt = "last_poll_at"
        case lastSuccessAt = "last_success_at"
        case lastPollDurationMs = "last_poll_duration_ms"
        case consecutiveFailures = "consecutive_failures"
        case lastError = "last_error"
        case circuitState = "circuit_state"
    }
}

public struct ProviderListResponse: Codable, Sendable, Equatable {
    public var providers: [ProviderResponse]
}

/// The outcome of `POST /v1/admin/providers/{id}/poll`.
public struct PollReportResponse: Codable, Sendable, Equatable {
    public var provider: String
    public var at: Date
    public var durationMs: Int64
    public var offers: Int
    public var unknownGPUOffers: Int
    public var skipped: Int
    public var withdrawn: Int
    public var pricePointsRecorded: Int
    public var error: String?

    public init(_ report: PollReport) {
        provider = report.provider
        at = report.at
        durationMs = report.duration.milliseconds
        offers = report.offers
        unknownGPUOffers = report.unknownGPUOffers
        skipped = report.skipped
        withdrawn = report.withdrawn
        pricePointsRecorded = report.pricePointsRecorded
        error = report.error
    }

    public enum CodingKeys: String, CodingKey {
        case provider, at, offers, skipped, withdrawn, error
        case durationMs = "duration_ms"
        case unknownGPUOffers = "unknown_gpu_offers"
        case pricePointsRecorded = "price_points_recorded"
    }
}
