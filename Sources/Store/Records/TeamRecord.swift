import BrokerCore
import Foundation
import GRDB

/// A team: the unit that owns jobs, tokens and a budget.
public struct TeamRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "team"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var id: String
    public var name: String
    /// Micro-USD; `nil` is no budget.
    public var budgetMicros: Int64?
    public var spendMicros: Int64
    public var createdAt: Date

    public init(id: String, name: String, budget: Money?, spend: Money = .zero, createdAt: Date) {
        self.id = id
        self.name = name
        self.budgetMicros = budget?.microdollars
        self.spendMicros = spend.microdollars
        self.createdAt = createdAt
    }

    public var budget: Money? { budgetMicros.map(Money.init(microdollars:)) }
    public var spend: Money { Money(microdollars: spendMicros) }
}
