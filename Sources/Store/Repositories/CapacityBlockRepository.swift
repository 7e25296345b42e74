import BrokerCore
import Foundation

/// Where the scheduler keeps its capacity blocks (``BrokerCore/CapacityBlocklist``), so a refusal
/// still counts after a restart, and for every broker on the database.
public protocol CapacityBlockRepository: Sendable {
    /// The blocks in force at `now`, each with its end.
    func blocks(at now: Date) async throws -> [CapacityBlocklist.Key: Date]
    /// Stores `key` as blocked until `until` (a block stored with a later end keeps it: another
    /// broker may have extended it), and forgets the blocks that ended by `now`.
    func block(_ key: CapacityBlocklist.Key, until: Date, now: Date) async throws
}
