extension JobSpec {
    /// How much computation the job needs, so the broker can rank placements by cost to finish
    /// rather than price per hour.
    public struct Work: Sendable, Equatable, Encodable {
        /// GPU-hours on ``referenceGPU``.
        public var gpuHours: Double
        /// The GPU ``gpuHours`` is measured on (A100-80GB unless said otherwise).
        public var referenceGPU: GPUModel

        public init(gpuHours: Double, referenceGPU: GPUModel) {
            self.gpuHours = gpuHours
            self.referenceGPU = referenceGPU
        }

        enum CodingKeys: String, CodingKey {
            case gpuHours = "gpu_hours"
            case referenceGPU = "reference_gpu"
        }

        /// Writes the reference GPU by its canonical name.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(gpuHours, forKey: .gpuHours)
            try container.encode(referenceGPU.name, forKey: .referenceGPU)
        }
    }
}

extension JobSpec.Work {
    /// The reference GPU when a spec names none.
    static let defaultReferenceGPU = "A100-80GB"

    static func read(_ field: JSONField, with reader: inout JSONFieldReader, catalog: GPUCatalog) -> Self? {
        guard var object = reader.object(field) else { return nil }
        let gpuHours = reader.required("gpu_hours", of: &object) {
            $0.positiveNumber($1, atMost: JobSpec.Limits.maxGPUHours)
        }
        let reference = reader.optional("reference_gpu", of: &object)
        let referenceGPU = readReferenceGPU(
            reference, defaultPath: field.path(ofMember: "reference_gpu"), with: &reader, catalog: catalog)
        reader.close(object)
        guard let gpuHours, let referenceGPU else { return nil }
        return Self(gpuHours: gpuHours, referenceGPU: referenceGPU)
    }

    /// The named model, or ``defaultReferenceGPU`` when `field` is absent; names resolve like
    /// provider names, so "A100" means the A100-80GB.
    private static func readReferenceGPU(
        _ field: JSONField?, defaultPath: String, with reader: inout JSONFieldReader, catalog: GPUCatalog
    ) -> GPUModel? {
        var name = defaultReferenceGPU
        if let field {
            guard let given = reader.string(field) else { return nil }
            name = given
        }
        guard let model = catalog.model(named: name) else {
            reader.report(field?.path ?? defaultPath, "unknown GPU model '\(name)'")
            return nil
        }
        return model
    }
}

extension JobSpec {
    /// The spec with only the work not done yet (`doneFraction` of it is), so that placements
    /// are estimated and checked against the deadline for what is left.
    public func remaining(doneFraction: Double) -> JobSpec {
        guard var work, doneFraction > 0 else { return self }
        work.gpuHours *= max(0, 1 - min(1, doneFraction))
        var rest = self
        rest.work = work
        return rest
    }
}
