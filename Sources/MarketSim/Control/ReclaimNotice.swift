#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A reclaim the simulated market announces before it takes an instance back, as AWS's two-minute
/// spot interruption warning does.
public struct ReclaimNotice: Sendable, Equatable {
    public var provider: SimulatedProvider
    /// The instance as the broker's adapters spell it (`<region>/<id>` on AWS).
    public var nativeID: String
    /// When the instance will be taken.
    public var notBefore: Date
}

/// Where the simulated market sends its reclaim notices (`gridbroker sim --notify-url` signs
/// them and posts them to the broker's webhook endpoint).
public protocol ReclaimNoticeSender: Sendable {
    func send(_ notice: ReclaimNotice) async throws
}
