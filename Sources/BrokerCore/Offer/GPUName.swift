/// The GPU of an offer: a model from the catalog, or the provider's own name when the catalog does
/// not know it (such offers are kept, and counted, rather than dropped).
public enum GPUName: Sendable, Hashable {
    case known(GPUModel)
    case unknown(String)

    /// Resolves a provider's GPU name through `catalog` (see ``GPUCatalog/model(named:memoryGB:)``).
    public init(resolving rawName: String, memoryGB: Int? = nil, in catalog: GPUCatalog = .standard) {
        if let model = catalog.model(named: rawName, memoryGB: memoryGB) {
            self = .known(model)
        } else {
            self = .unknown(rawName)
        }
    }

    /// The canonical model name, or the provider's name when unknown.
    public var name: String {
        switch self {
        case .known(let model): model.name
        case .unknown(let name): name
        }
    }

    /// The catalog model, if known.
    public var model: GPUModel? {
        if case .known(let model) = self { model } else { nil }
    }
}
