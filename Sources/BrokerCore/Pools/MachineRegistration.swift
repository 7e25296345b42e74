/// What a machine says of itself when it joins an owner pool, checked: a name that can stand in
/// an offer id, a GPU model the catalog knows, and believable counts. The claim is believed until
/// a node's agent on the machine reports.
public struct MachineRegistration: Sendable, Equatable {
    /// One thing wrong, named by its field.
    public struct Problem: Sendable, Equatable {
        public var field: String
        public var message: String
    }

    /// Everything wrong with a registration.
    public struct Problems: Error, Equatable {
        public var problems: [Problem]
    }

    /// Unique in its pool; the native id of the machine's offer (`<pool>:<name>`).
    public var name: String
    public var gpu: GPUModel
    public var gpuCount: Int
    public var gpuMemoryGB: Int
    public var vcpus: Int
    public var memoryGB: Int
    public var diskGB: Int

    /// The most GPUs one machine may claim.
    public static let maximumGPUs = 64
    /// What a name may be, in words.
    public static let nameRule = "1-63 of a-z, 0-9, '-', '_' and '.', starting with a letter or digit"

    /// The registration, or every problem with it.
    public static func check(
        name: String?, gpu: String?, gpus: Int?, gpuMemoryGB: Int?, vcpus: Int?, memoryGB: Int?, diskGB: Int?,
        catalog: GPUCatalog
    ) -> Result<MachineRegistration, Problems> {
        var problems: [Problem] = []
        if let name, !isName(name) { problems.append(Problem(field: "name", message: "must be \(nameRule)")) }
        if name == nil { problems.append(Problem(field: "name", message: "is required")) }
        // nvidia-smi's names ("NVIDIA A100-SXM4-80GB") resolve as providers' do.
        let model = gpu.flatMap { catalog.model(named: $0, memoryGB: gpuMemoryGB) }
        if gpu == nil {
            problems.append(Problem(field: "gpu", message: "is required"))
        } else if model == nil {
            problems.append(Problem(field: "gpu", message: "is not a GPU model of the catalog (such as A100-80GB)"))
        }
        if let gpus, !(1...maximumGPUs).contains(gpus) {
            problems.append(Problem(field: "gpus", message: "must be a whole number from 1 to \(maximumGPUs)"))
        }
        if gpus == nil { problems.append(Problem(field: "gpus", message: "is required")) }
        for (field, value, limit) in [
            ("gpu_memory_gb", gpuMemoryGB, 1_024), ("vcpus", vcpus, 4_096), ("memory_gb", memoryGB, 1 << 20),
            ("disk_gb", diskGB, 1 << 20),
        ] {
            if let value, !(0...limit).contains(value) {
                problems.append(Problem(field: field, message: "must be a whole number from 0 to \(limit)"))
            }
        }
        guard problems.isEmpty, let name, let model, let gpus else { return .failure(Problems(problems: problems)) }
        return .success(
            MachineRegistration(
                name: name, gpu: model, gpuCount: gpus, gpuMemoryGB: gpuMemoryGB ?? model.memoryGB, vcpus: vcpus ?? 0,
                memoryGB: memoryGB ?? 0, diskGB: diskGB ?? 0))
    }

    static func isName(_ text: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
        return (1...63).contains(text.count) && text.allSatisfy(allowed.contains)
            && text.first.map { $0.isLetter || $0.isNumber } == true
    }
}
