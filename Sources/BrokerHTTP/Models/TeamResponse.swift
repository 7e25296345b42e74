import Foundation
import Store

/// A team, for `/v1/admin/teams`: its budget (null: none) and spend in decimal USD.
public struct TeamResponse: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var budgetUsd: Double?
    public var spendUsd: Double
    public var createdAt: Date

    init(_ team: TeamRecord) {
        id = team.id
        name = team.name
        budgetUsd = team.budget?.dollars
        spendUsd = team.spend.dollars
        createdAt = team.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case budgetUsd = "budget_usd"
        case spendUsd = "spend_usd"
        case createdAt = "created_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(budgetUsd, forKey: .budgetUsd)  // null: no budget
        try container.encode(spendUsd, forKey: .spendUsd)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// `GET /v1/admin/teams`.
public struct TeamListResponse: Codable, Sendable {
    public var teams: [TeamResponse]
}
