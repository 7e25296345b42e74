import Foundation

/// Where owner pools and their join tokens live.
public protocol PoolRepository: Sendable {
    /// Stores a new pool and its provider row together. A taken id (any provider's) or name is
    /// ``StoreError/conflict(_:)``.
    func create(_ pool: PoolRecord) async throws -> PoolRecord
    /// Stores a pool the config file declares, as ``ProviderRepository/sync(_:)`` does providers:
    /// new, it is created with its provider row; known (deleted too), its name, place and terms
    /// become `pool`'s and it is live again, turned off when `pool.enabled` is false (on is left
    /// to the operator). The provider row of the retired kind `static` with its id becomes the
    /// pool's; any other provider's is ``StoreError/conflict(_:)``.
    func declare(_ pool: PoolRecord) async throws -> PoolRecord
    /// Pools not deleted, by name.
    func pools() async throws -> [PoolRecord]
    /// The pool, unless deleted.
    func pool(id: String) async throws -> PoolRecord?
    /// Turns a pool's offers on or off (its provider with it).
    func setEnabled(_ enabled: Bool, pool id: String) async throws -> PoolRecord
    /// Deletes a pool: it and its provider are disabled for good and its join tokens revoked.
    func delete(pool id: String, at date: Date) async throws
    func issueJoinToken(_ token: PoolJoinTokenRecord) async throws -> PoolJoinTokenRecord
    /// The pool's join tokens, oldest first.
    func joinTokens(pool id: String) async throws -> [PoolJoinTokenRecord]
    /// Revokes a join token (again: the first time stays). Unknown: ``StoreError/notFound(entity:id:)``.
    func revokeJoinToken(id: String, at date: Date) async throws -> PoolJoinTokenRecord
    /// The join token whose hash is `tokenHash` and its pool, while the token is in force and the
    /// pool not deleted.
    func joinToken(hash tokenHash: String) async throws -> (token: PoolJoinTokenRecord, pool: PoolRecord)?
    /// Stores a machine that joined; one of the same name in the pool is replaced (a machine that
    /// registers again gets a new token, and its old one stops working).
    func register(_ machine: PoolMachineRecord) async throws -> PoolMachineRecord
    /// The machine whose token hashes to `tokenHash`, while its join token is in force and its pool
    /// not deleted; its heartbeat is recorded at `date`.
    func heartbeat(machineTokenHash tokenHash: String, at date: Date) async throws -> PoolMachineRecord?
    /// Every enabled pool with its machines that joined with a token still in force.
    func machinesOfEnabledPools() async throws -> [(pool: PoolRecord, machines: [PoolMachineRecord])]
    /// The owner machines' ledger (``BrokerCore/PoolMachineLedger``: which node runs where, what
    /// each machine is to do) as the brokers stored it, JSON; nil until first written.
    func machineLedger() async throws -> String?
    /// Changes the ledger in one transaction that holds it, so that brokers sharing the database
    /// take turns: `change` gets what is stored and returns what to store (nil: as it is) and its
    /// answer.
    func changeMachineLedger<Answer: Sendable>(_ change: @Sendable (String?) throws -> (String?, Answer))
        async throws -> Answer
}
