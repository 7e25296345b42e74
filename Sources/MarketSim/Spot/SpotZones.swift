import BrokerCore

/// Which spot zones of the simulated market have spot capacity when, replayed from availability
/// traces.
///
/// A spot zone is where one provider's spot capacity comes and goes together: an EC2 availability
/// zone (`aws/us-east-1a`, every instance type in it), a RunPod GPU type
/// (`runpod/NVIDIA H100 80GB HBM3`, its interruptible pods), a Vast location (`vast/DE`, its
/// interruptible bids). Every zone follows one trace, deterministically: an EC2 zone a trace file
/// names (`aws-02-15-2023__us-east-1a_v100_1.json`) follows that file (the first by file name when
/// several do); every other zone, in the order EC2 zones, RunPod GPU types, Vast locations (each in
/// catalog order), follows the files in turn, in file-name order, starting over after the last.
///
/// Tick `k` of every trace covers `[start + k × tickSeconds, start + (k + 1) × tickSeconds)` of the
/// simulator's clock; a trace starts over after its last tick. Without traces every zone always has
/// spot capacity.
struct SpotZones: Sendable {
    /// Every zone that follows a trace, in assignment order.
    let zones: [String]
    /// Zone → the index of its trace in `traces`.
    private let assignment: [String: Int]
    private let traces: [NamedSpotTrace]
    private let start: Double
    private let tickSeconds: Double

    /// No traces: spot capacity everywhere, always.
    init() {
        zones = []
        assignment = [:]
        traces = []
        start = 0
        tickSeconds = 1
    }

    /// Assigns `replay`'s traces to `zones` (in the order above) from `start` (Unix seconds) on.
    init(zones: [String], replay: SpotTraceReplay, start: Double) {
        traces = replay.traces.sorted { $0.name < $1.name }
        self.zones = traces.isEmpty ? [] : zones
        self.start = start
        tickSeconds = max(replay.tickSeconds, 0.001)
        var assignment: [String: Int] = [:]
        let known = Set(zones)
        for (index, trace) in traces.enumerated() {
            guard let zone = trace.measuredZone.map({ "aws/" + $0 }), known.contains(zone),
                assignment[zone] == nil
            else { continue }
            assignment[zone] = index
        }
        if !traces.isEmpty {
            for (turn, zone) in zones.filter({ assignment[$0] == nil }).enumerated() {
                assignment[zone] = turn % traces.count
            }
        }
        self.assignment = assignment
    }

    /// The zones of `market` in assignment order.
    static func zones(of market: SimulatedMarket) -> [String] {
        AWSMarket.zones.map { "aws/" + $0.name }
            + market.runpod.types.filter { $0.secureSpotPrice != nil || $0.communitySpotPrice != nil }.map {
                RunPodMarket.spotZone($0)
            }
            + VastGeography.locations.map { "vast/" + $0.name }
    }

    /// The trace file `zone` follows, if any.
    func traceName(of zone: String) -> String? {
        assignment[zone].map { traces[$0].name }
    }

    /// Whether `zone` has spot capacity at `time`.
    func hasSpot(_ zone: String, at time: Double) -> Bool {
        guard let index = assignment[zone] else { return true }
        return hasSpot(traces[index].trace, tick: tick(at: time))
    }

    /// The first moment in `time...time + horizon` when `zone` has no spot capacity, if any.
    func nextOutage(_ zone: String, from time: Double, within horizon: Double) -> Double? {
        guard let index = assignment[zone] else { return nil }
        let trace = traces[index].trace
        var tick = tick(at: time)
        if !hasSpot(trace, tick: tick) { return time }
        while true {
            tick += 1
            let tickStart = start + Double(tick) * tickSeconds
            guard tickStart <= time + horizon else { return nil }
            if !hasSpot(trace, tick: tick) { return tickStart }
        }
    }

    private func tick(at time: Double) -> Int {
        max(0, Int(((time - start) / tickSeconds).rounded(.down)))
    }

    /// Whether `trace` has spot at `tick`, counted from its start over and over.
    private func hasSpot(_ trace: SpotTrace, tick: Int) -> Bool {
        trace.isAvailable(at: tick % trace.count)
    }
}
