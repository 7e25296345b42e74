/// How an offer is sold: at a fixed on-demand price, or as spot capacity the provider can reclaim.
public enum Market: String, Sendable, Hashable, Codable, CaseIterable {
    case onDemand = "on_demand"
    case spot
}
