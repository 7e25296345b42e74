import BrokerCore
import Foundation
import Store
import Synchronization

/// Who presented an API token, answered from memory for up to ``freshness`` after the store last
/// said so: a request costs a hash and a dictionary lookup, not a database read, and a token
/// issued or revoked (by this replica or another on the same database) takes effect within that
/// second. Unknown tokens are remembered just as briefly, so a client retrying a bad token does
/// not reach the database on every request either.
///
/// Last uses are kept in memory and written by ``recordUses()`` (``TokenUseRecorder`` calls it
/// every few seconds), at most once per ``lastUsePrecision`` per token: no request waits for a
/// write, which could queue behind a large poll's transaction.
public final class TokenAuthenticator: Sendable {
    /// How long an answer of the store is trusted.
    public static let freshness: TimeInterval = 1
    /// A token's last use is recorded at most this often.
    public static let lastUsePrecision: TimeInterval = 60
    /// Answers remembered at most; past it, the stale ones go (all of them, if none is stale).
    static let capacity = 10_000

    private struct Answer {
        var token: APITokenRecord?
        var readAt: Date
    }

    private struct State {
        var answers: [String: Answer] = [:]
        /// When each token's last use was last recorded (or read from the store).
        var recordedUses: [String: Date] = [:]
        /// Uses to write at the next ``recordUses()``.
        var pendingUses: [String: Date] = [:]

        mutating func noteUse(of token: APITokenRecord, at now: Date) {
            let recorded = recordedUses[token.id] ?? token.lastUsedAt
            guard recorded.map({ now.timeIntervalSince($0) >= TokenAuthenticator.lastUsePrecision }) ?? true else {
                return
            }
            recordedUses[token.id] = now
            pendingUses[token.id] = now
        }

        mutating func remember(_ answer: Answer, for hash: String, now: Date) {
            if answers.count >= TokenAuthenticator.capacity {
                answers = answers.filter { now.timeIntervalSince($0.value.readAt) < TokenAuthenticator.freshness }
                if answers.count >= TokenAuthenticator.capacity { answers = [:] }
            }
            answers[hash] = answer
        }
    }

    private let tokens: any TokenRepository
    private let clock: any BrokerClock
    private let state = Mutex(State())

    public init(tokens: any TokenRepository, clock: any BrokerClock) {
        self.tokens = tokens
        self.clock = clock
    }

    /// The unrevoked token `presented` is, or nil; its use is noted.
    public func authenticate(_ presented: String) async throws -> APITokenRecord? {
        let hash = APITokens.hash(presented)
        let now = clock.now
        let remembered = state.withLock { state -> Answer? in
            guard let answer = state.answers[hash], now.timeIntervalSince(answer.readAt) < Self.freshness else {
                return nil
            }
            if let token = answer.token { state.noteUse(of: token, at: now) }
            return answer
        }
        if let remembered { return remembered.token }
        let token = try await tokens.activeToken(hash: hash)
        state.withLock { state in
            state.remember(Answer(token: token, readAt: now), for: hash, now: now)
            if let token { state.noteUse(of: token, at: now) }
        }
        return token
    }

    /// Forgets what the store said of token `tokenID` (just revoked through this process).
    public func forget(tokenID: String) {
        state.withLock { state in state.answers = state.answers.filter { $0.value.token?.id != tokenID } }
    }

    /// Writes the uses noted since the last call.
    public func recordUses() async throws {
        let uses = state.withLock { state in
            defer { state.pendingUses = [:] }
            return state.pendingUses
        }
        do {
            try await tokens.recordUses(uses)
        } catch {
            // Kept for the next call, unless a newer use was noted meanwhile.
            state.withLock { state in state.pendingUses.merge(uses) { newer, _ in newer } }
            throw error
        }
    }
}
