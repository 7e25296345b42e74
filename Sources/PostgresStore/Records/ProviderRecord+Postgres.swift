import Foundation
import PostgresNIO
import Store

extension ProviderRecord {
    init(postgres row: PostgresRow) throws {
        let columns = PostgresColumns(row)
        self.init(
            id: try columns["id"], kind: try columns["kind"], baseUrl: try columns["base_url"],
            enabled: try columns["enabled"], pollIntervalS: try columns["poll_interval_s"],
            offerExpiryS: try columns["offer_expiry_s"], createdAt: try columns["created_at"])
        lastPollAt = try columns["last_poll_at"]
        lastSuccessAt = try columns["last_success_at"]
        consecutiveFailures = try columns["consecutive_failures"]
        lastError = try columns["last_error"]
        lastPollDurationMs = try columns["last_poll_duration_ms"]
        circuitState = try columns.value("circuit_state", as: CircuitState.self)
    }
}
