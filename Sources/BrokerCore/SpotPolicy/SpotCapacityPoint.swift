#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How many spot nodes one series (a provider's GPU model and count in one region) had from
/// `recordedAt` until its next point: what the broker records of each poll.
public struct SpotCapacityPoint: Sendable, Equatable {
    public struct Series: Sendable, Hashable {
        public var provider: String
        public var gpu: String
        public var gpuCount: Int
        public var region: String

        public init(provider: String, gpu: String, gpuCount: Int, region: String) {
            self.provider = provider
            self.gpu = gpu
            self.gpuCount = gpuCount
            self.region = region
        }
    }

    public var series: Series
    public var available: Int
    public var recordedAt: Date

    public init(series: Series, available: Int, recordedAt: Date) {
        self.series = series
        self.available = available
        self.recordedAt = recordedAt
    }
}
