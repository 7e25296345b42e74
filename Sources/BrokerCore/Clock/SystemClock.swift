#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The wall clock.
public struct SystemClock: BrokerClock {
    public init() {}

    public var now: Date { Date() }
}
