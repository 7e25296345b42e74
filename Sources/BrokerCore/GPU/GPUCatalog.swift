/// The GPU models the broker knows, and the lookup from providers' spellings to them.
///
/// Names are compared after normalization (case, spaces, dashes, underscores and vendor words such
/// as "NVIDIA", "GeForce", "Tesla", "AMD", "Instinct" and "Radeon" do not matter), against each
/// model's canonical name, its aliases and its family, precomputed into one dictionary so that a
/// lookup costs one normalization and one hash probe.
///
/// Some names fit several models: "A100" or "A100 SXM4" could be the 40 GB or the 80 GB card,
/// "H100" any H100, "V100" either V100. ``model(named:memoryGB:)`` then uses the memory the
/// provider reports to choose, and without it the first such model in catalog order (canonical
/// names first, then aliases, then families).
public struct GPUCatalog: Sendable {
    /// The known models, in catalog order.
    public let models: [GPUModel]
    /// Normalized name → the models it may mean, the most likely first.
    private let candidatesByKey: [String: [GPUModel]]

    /// Builds a catalog. Canonical names must be unique.
    public init(models: [GPUModel]) {
        var candidates: [String: [GPUModel]] = [:]
        func add(_ name: String, _ model: GPUModel) {
            let key = GPUNameKey.normalize(name)
            if candidates[key, default: []].contains(where: { $0.name == model.name }) { return }
            candidates[key, default: []].append(model)
        }
        for model in models {
            precondition(candidates[GPUNameKey.normalize(model.name)] == nil, "duplicate GPU model \(model.name)")
            add(model.name, model)
        }
        for model in models {
            for alias in model.aliases { add(alias, model) }
        }
        for model in models { add(model.family, model) }
        self.models = models
        self.candidatesByKey = candidates
    }

    /// The model a provider's GPU name stands for, or nil when the name is unknown (callers keep
    /// such offers under their raw name and count them).
    ///
    /// - Parameters:
    ///   - name: the provider's spelling, e.g. "NVIDIA H100 80GB HBM3", "A100_PCIE_40GB", "RTX 4090".
    ///   - memoryGB: memory per GPU as the provider reports it, if known; only consulted when the
    ///     name fits several models, to pick the one with the closest memory size.
    public func model(named name: String, memoryGB: Int? = nil) -> GPUModel? {
        guard let candidates = candidatesByKey[GPUNameKey.normalize(name)] else { return nil }
        guard let memoryGB, candidates.count > 1 else { return candidates.first }
        return candidates.min { abs($0.memoryGB - memoryGB) < abs($1.memoryGB - memoryGB) }
    }

    /// Every model a search term selects, in catalog order; empty when it names nothing.
    ///
    /// A family selects all its members ("H100" → H100-SXM, H100-PCIE, H100-NVL; "A100" → both
    /// A100s), and so does a canonical name that is also a family name ("V100" → V100 and
    /// V100-32GB); use ``model(named:memoryGB:)`` for exactly one model. Any other name selects the
    /// models it may mean ("A100 SXM4" → both A100s, "H100-SXM" → H100-SXM).
    public func models(matching query: String) -> [GPUModel] {
        guard let candidates = candidatesByKey[GPUNameKey.normalize(query)] else { return [] }
        return models.filter { model in candidates.contains { $0.name == model.name } }
    }
}
