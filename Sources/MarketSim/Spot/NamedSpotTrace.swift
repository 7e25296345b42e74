import BrokerCore

/// A spot availability trace with the name of its file, `<collection>__<zone>_<gpu>_<count>.json`
/// (see `shared/traces/README.md`): the name orders the traces and names the zone they measured.
public struct NamedSpotTrace: Sendable {
    public var name: String
    public var trace: SpotTrace

    public init(name: String, trace: SpotTrace) {
        self.name = name
        self.trace = trace
    }

    /// The zone the file name says the trace measured (`us-east-1a`), or nil when the name does not
    /// follow the pattern.
    var measuredZone: String? {
        guard let separator = name.firstRange(of: "__") else { return nil }
        let rest = name[separator.upperBound...]
        guard let end = rest.firstIndex(of: "_"), end > rest.startIndex else { return nil }
        return String(rest[..<end])
    }
}
