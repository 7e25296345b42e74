#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where the broker's decisions get the time from: ``SystemClock`` in the daemon, ``ManualClock``
/// in tests, so that nothing that decides reads the wall clock itself.
public protocol BrokerClock: Sendable {
    var now: Date { get }
}
