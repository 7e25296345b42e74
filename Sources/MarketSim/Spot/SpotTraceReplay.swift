/// How the simulated market replays spot availability traces (`gridbroker sim --traces`).
public struct SpotTraceReplay: Sendable {
    /// The traces, in any order (they are used in file-name order).
    public var traces: [NamedSpotTrace]
    /// Seconds of the simulator's clock one trace tick lasts (the traces' own ticks are minutes long).
    public var tickSeconds: Double
    /// How long before a zone runs dry its spot instances are told they will be reclaimed.
    public var noticeSeconds: Double

    public init(traces: [NamedSpotTrace], tickSeconds: Double = 10, noticeSeconds: Double = 30) {
        self.traces = traces
        self.tickSeconds = tickSeconds
        self.noticeSeconds = noticeSeconds
    }
}
