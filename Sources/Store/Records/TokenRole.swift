import GRDB

/// What an API token may do: `member` acts for its own team only, `admin` for everything
/// (the `/v1/admin/...` routes included).
public enum TokenRole: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    case member
    case admin
}
