#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Decides the next step for a job that is migrating (a node was reclaimed, is being reclaimed,
/// or vanished): replace the ranks that lost their node, wait for replacements on their way, or
/// resume once every rank runs again.
///
/// A replacement never goes straight back into the spot pool (provider, region, market) that just
/// took a node; with `same_region` it joins the surviving nodes' provider and region (when some
/// survive: a gang reclaimed whole may move anywhere, together).
public enum MigrationCheck {
    /// A provider's capacity of one market in one region.
    public struct Pool: Sendable, Hashable {
        public var provider: String
        public var region: String
        public var market: Market

        public init(provider: String, region: String, market: Market) {
            self.provider = provider
            self.region = region
            self.market = market
        }
    }

    /// One rank's newest node.
    public struct Member: Sendable, Equatable {
        public var node: NodeView
        public var pool: Pool

        public init(node: NodeView, pool: Pool) {
            self.node = node
            self.pool = pool
        }
    }

    public enum Decision: Sendable, Equatable {
        /// Find nodes for `ranks`; stay in `stayIn` (provider and region) when set; avoid `avoid`.
        /// `stalled` are the replacements given up (see ``LaunchStall``), by node id, with why:
        /// their offers are blocked for a while.
        case replace(ranks: [Int], stayIn: Pool?, avoid: Set<Pool>, stalled: [String: String] = [:])
        /// Replacements are on their way.
        case wait
        /// Every rank runs: the work goes on.
        case resume
    }

    /// - Parameters:
    ///   - gang: each rank's newest node.
    ///   - launchTimeout, bootTimeout: a replacement that stalls (see ``LaunchStall``) is given up.
    public static func decide(
        gang: [Member], sameRegion: Bool, now: Date, launchTimeout: Duration, bootTimeout: Duration
    ) -> Decision {
        func stall(_ member: Member) -> String? {
            LaunchStall.reason(member.node, now: now, launchTimeout: launchTimeout, bootTimeout: bootTimeout)
        }
        func isLost(_ member: Member) -> Bool {
            switch member.node.state {
            case .preempting, .terminating, .terminated, .failed: return true
            case .requested, .booting: return stall(member) != nil
            case .running: return false
            }
        }
        let lost = gang.filter(isLost)
        guard !lost.isEmpty else {
            return gang.allSatisfy { $0.node.state == .running } ? .resume : .wait
        }
        let survivors = gang.filter { !isLost($0) }
        let stayIn =
            sameRegion
            ? survivors.first.map { Pool(provider: $0.pool.provider, region: $0.pool.region, market: $0.pool.market) }
            : nil
        let avoid = Set(lost.filter { $0.pool.market == .spot }.map(\.pool))
        let stalled = Dictionary(
            lost.compactMap { member in stall(member).map { (member.node.id, $0) } },
            uniquingKeysWith: { first, _ in first })
        return .replace(ranks: lost.map(\.node.rank).sorted(), stayIn: stayIn, avoid: avoid, stalled: stalled)
    }
}
