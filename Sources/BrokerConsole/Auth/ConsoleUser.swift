import Broker
import Store

/// Who a console page is shown to: the API token its session acts for (never its secret), and
/// the session's CSRF token its forms carry.
public struct ConsoleUser: Sendable, Equatable {
    public var tokenID: String
    public var tokenName: String
    /// The member's team; nil for an admin token.
    public var teamID: String?
    public var isAdmin: Bool
    public var csrfToken: String

    public init(_ live: ConsoleSessions.Live) {
        tokenID = live.token.id
        tokenName = live.token.name
        teamID = live.token.teamId
        isAdmin = live.token.role == .admin
        csrfToken = live.csrfToken
    }

    /// Whether a job of `team` is this user's to see: a member sees their own team's, an admin every team's.
    public func canSee(team: String) -> Bool { isAdmin || team == teamID }

    /// The team lists are narrowed to: a member's own; nil (every team) for an admin.
    public var listedTeam: String? { isAdmin ? nil : teamID }

    /// The team a submission or the spend page acts for: a member's own, the default team for an admin.
    public var actingTeam: String { teamID ?? DefaultTeam.id }
}
