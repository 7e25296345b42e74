/// A queued job's quote that found nowhere to launch, kept so that the scheduler's next pass need
/// not search the market again while nothing the answer depends on has changed: the same book (by
/// its version), the same capacity blocks in force, the same spec (a `market: auto` job's pilot
/// may narrow it differently from one pass to the next). A job waiting under a price cap no offer
/// meets is the common case, and its quote is among the costliest (every candidate is tried, then
/// the reason worked out); re-quoting each of them at every pass costs the daemon time in
/// proportion to its queue.
///
/// Not kept for a job with a deadline: its answer, and the time left its reason gives, change
/// with the clock.
public struct UnplaceableQuote: Sendable, Equatable {
    public let spec: JobSpec
    public let marketVersion: Int
    public let blocks: CapacityBlocklist
    /// Why the job waits, as the quote said.
    public let reason: String

    /// The quote of `spec` that found no launchable placement on the book of `marketVersion` with
    /// `blocks` in force, or nil when the answer may change with the time alone.
    public init?(spec: JobSpec, marketVersion: Int, blocks: CapacityBlocklist, reason: String) {
        guard spec.deadline == nil else { return nil }
        self.spec = spec
        self.marketVersion = marketVersion
        self.blocks = blocks
        self.reason = reason
    }

    /// Whether quoting `spec` again on the book of `marketVersion` with `blocks` in force (expired
    /// ones pruned) would find the same.
    public func holds(for spec: JobSpec, marketVersion: Int, blocks: CapacityBlocklist) -> Bool {
        marketVersion == self.marketVersion && blocks == self.blocks && spec == self.spec
    }
}
