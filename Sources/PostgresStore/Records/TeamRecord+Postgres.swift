import BrokerCore
import Foundation
import PostgresNIO
import Store

extension TeamRecord {
    init(postgres row: PostgresRow) throws {
        let columns = PostgresColumns(row)
        self.init(
            id: try columns["id"], name: try columns["name"], budget: nil, createdAt: try columns["created_at"])
        budgetMicros = try columns["budget_micros"]
        spendMicros = try columns["spend_micros"]
    }
}
