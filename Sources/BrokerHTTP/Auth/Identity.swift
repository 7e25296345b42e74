import Broker
import Store

/// Who a request acts for: the token that authenticated it (never its secret).
public struct Identity: Sendable, Equatable {
    public var tokenID: String
    public var role: TokenRole
    /// The member's team; nil for admin tokens.
    public var teamID: String?

    public init(_ token: APITokenRecord) {
        tokenID = token.id
        role = token.role
        teamID = token.teamId
    }

    public var isAdmin: Bool { role == .admin }

    /// The team a request that names `requested` (`?team=`) acts for when it must act for one
    /// (submit, usage): a member's own team (naming another is a 404, as if it did not exist);
    /// for an admin, the named team or else the default team.
    func actingTeam(_ requested: String?) throws -> String {
        try visibleTeam(requested) ?? DefaultTeam.id
    }

    /// The team a listing is narrowed to: a member's own team always; for an admin, the named
    /// team, or nil for every team.
    func visibleTeam(_ requested: String?) throws -> String? {
        guard let own = teamID, !isAdmin else { return requested }
        if let requested, requested != own {
            throw ProblemDetails(status: .notFound, detail: "team \(requested) not found")
        }
        return own
    }

    /// Whether the job of `team` is this identity's to see: an admin sees every team's.
    func canSee(team: String) -> Bool { isAdmin || team == teamID }
}
