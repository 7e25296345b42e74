import Foundation
import Store

/// An API token as the API shows it: never the token, which only ``IssuedTokenResponse`` carries,
/// once.
public struct TokenResponse: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    /// The member's team; null for admin tokens.
    public var team: String?
    public var role: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    init(_ token: APITokenRecord) {
        id = token.id
        name = token.name
        team = token.teamId
        role = token.role.rawValue
        createdAt = token.createdAt
        lastUsedAt = token.lastUsedAt
        revokedAt = token.revokedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, team, role
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case revokedAt = "revoked_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(team, forKey: .team)
        try container.encode(role, forKey: .role)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(lastUsedAt, forKey: .lastUsedAt)
        try container.encode(revokedAt, forKey: .revokedAt)
    }
}

/// `GET /v1/admin/tokens`.
public struct TokenListResponse: Codable, Sendable {
    public var tokens: [TokenResponse]
}

/// `POST /v1/admin/tokens`: the new token's secret, shown this once, and its record.
public struct IssuedTokenResponse: Codable, Sendable {
    public var token: String
    public var info: TokenResponse

    init(token: String, info: TokenResponse) {
        self.token = token
        self.info = info
    }

    public init(from decoder: any Decoder) throws {
        token = try decoder.container(keyedBy: SecretKey.self).decode(String.self, forKey: .token)
        info = try TokenResponse(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: SecretKey.self)
        try container.encode(token, forKey: .token)
        try info.encode(to: encoder)
    }

    private enum SecretKey: String, CodingKey {
        case token
    }
}
