/// What a machine says of itself when it joins an owner pool, checked: a name that can stand in
/// an offer id, a GPU model the catalog knows, and believable counts. The claim is believed until
/// a node's agent on the machine reports.
public struct MachineRegistration: Sendable, Equatable {
    /// One thing wrong, named by its field.
    public struct Problem: Sendable, Equatable {
        public var field: String
        public var message: String
    }

    /// Unique in its pool; the native id of the machine's offer (`<pool>:<name>`).
    public var name: String
    public var gpu: GPUModel
    public var gpuCount: Int
    public var gpuMemoryGB: Int
    public var vcpus: Int
    public var memoryGB: Int
    public var diskGB: Int

    /// What a machine may claim: 1 to 64 GPUs, up to 1 TB per GPU, 4096 vCPUs, 1 PB of memory or disk.
    public static let gpuCounts = 1...64
    public static let gpuMemories = 0...1_024
    public static let vcpuCounts = 0...4_096
    public static let sizesGB = 0...(1 << 20)
    /// What a name may be, in words.
    public static let nameRule = "1-63 of a-z, 0-9, '-', '_' and '.', starting with a letter or digit"

    /// Every problem with what is given, and the registration when there is none and `name`, `gpu`
    /// and `gpus` are all given (what is missing, the caller names: it knows its input's shape).
    /// Memory not given is the model's; vCPUs, memory and disk not given are 0.
    public static func check(
        name: String?, gpu: String?, gpus: Int?, gpuMemoryGB: Int?, vcpus: Int?, memoryGB: Int?, diskGB: Int?,
        catalog: GPUCatalog
    ) -> (registration: MachineRegistration?, problems: [Problem]) {
        var problems: [Problem] = []
        if let name, !isName(name) { problems.append(Problem(field: "name", message: "must be \(nameRule)")) }
        // nvidia-smi's names ("NVIDIA A100-SXM4-80GB") resolve as providers' do.
        let model = gpu.flatMap { catalog.model(named: $0, memoryGB: gpuMemoryGB) }
        if gpu != nil, model == nil {
            problems.append(Problem(field: "gpu", message: "is not a GPU model of the catalog (such as A100-80GB)"))
        }
        for (field, value, range) in [
            ("gpus", gpus, gpuCounts), ("gpu_memory_gb", gpuMemoryGB, gpuMemories), ("vcpus", vcpus, vcpuCounts),
            ("memory_gb", memoryGB, sizesGB), ("disk_gb", diskGB, sizesGB),
        ] {
            if let value, !range.contains(value) {
                problems.append(
                    Problem(
                        field: field, message: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                )
            }
        }
        guard problems.isEmpty, let name, let model, let gpus else { return (nil, problems) }
        return (
            MachineRegistration(
                name: name, gpu: model, gpuCount: gpus, gpuMemoryGB: gpuMemoryGB ?? model.memoryGB, vcpus: vcpus ?? 0,
                memoryGB: memoryGB ?? 0, diskGB: diskGB ?? 0), []
        )
    }

    static func isName(_ text: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
        return (1...63).contains(text.count) && text.allSatisfy(allowed.contains)
            && text.first.map { $0.isLetter || $0.isNumber } == true
    }
}
