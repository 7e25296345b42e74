import Foundation
import Store

/// The team every API request acts for until tokens say otherwise (teams and tokens come with
/// authentication).
public enum DefaultTeam {
    public static let id = "team_default"
    public static let name = "default"

    /// Creates the team in the store unless it exists.
    @discardableResult
    public static func ensure(in teams: any TeamRepository, at date: Date) async throws -> TeamRecord {
        try await teams.ensure(TeamRecord(id: id, name: name, budget: nil, createdAt: date))
    }
}
