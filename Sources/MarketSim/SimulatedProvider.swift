/// The provider APIs the simulated market speaks; the raw value is the first path component of
/// the provider's base URL (`http://127.0.0.1:<port>/<rawValue>`) and the config's `kind`.
public enum SimulatedProvider: String, Sendable, Hashable, Codable, CaseIterable {
    case vast
    case runpod
    case lambda
    case aws
    case shadeform
}
