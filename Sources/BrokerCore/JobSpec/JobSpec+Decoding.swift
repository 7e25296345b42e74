#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension JobSpec {
    /// Reads a job spec from JSON, strictly, reporting every problem at once.
    ///
    /// Rejected, each as a ``FieldError`` naming the field: malformed JSON (with line and column),
    /// a document that is not an object, unknown or repeated keys at any level, wrong types (no
    /// strings for numbers, no fractions for integers, no `null` for required fields), missing
    /// required fields (`name`, `resources.gpu`, `resources.gpus_per_node`, `resources.nodes`,
    /// `image`, `command`), values out of range (see ``Limits``), prices and budgets that are not
    /// positive plain decimals, a deadline that is unparseable or not after `now`, GPUs or families
    /// the catalog does not know, an empty GPU list or command, malformed or repeated country codes,
    /// repeated GPUs or providers, a `min_gpu_memory_gb` no listed GPU has, environment variable
    /// names that are not `[A-Za-z_][A-Za-z0-9_]*` or that the node agent sets itself.
    ///
    /// Optional fields may be absent or `null`; defaults: `placement` anywhere in one region,
    /// `market` auto, `env` empty, `work.reference_gpu` A100-80GB, `checkpoint.interval_minutes` 15.
    public static func decode(
        json: some Collection<UInt8>, catalog: GPUCatalog = .standard, now: Date
    ) throws(JobSpecError) -> JobSpec {
        let document: JSONValue
        do {
            document = try JSONParser.parse(Array(json))
        } catch {
            throw JobSpecError(errors: [FieldError(field: "", message: error.description)])
        }
        var reader = JSONFieldReader()
        let spec = read(JSONField(value: document, path: ""), with: &reader, catalog: catalog, now: now)
        guard let spec, reader.errors.isEmpty else { throw JobSpecError(errors: reader.errors) }
        return spec
    }

    private static func read(
        _ field: JSONField, with reader: inout JSONFieldReader, catalog: GPUCatalog, now: Date
    ) -> JobSpec? {
        guard var object = reader.object(field) else { return nil }
        let name = reader.required("name", of: &object) { $0.text($1, maxLength: Limits.maxNameLength) }
        let resources = reader.required("resources", of: &object) { Resources.read($1, with: &$0, catalog: catalog) }
        let placement = reader.optional("placement", of: &object) { Placement.read($1, with: &$0) }
        let market = reader.optional("market", of: &object) { $0.choice($1, as: MarketChoice.self) }
        let maxPricePerHour = reader.optional("max_price_per_hour", of: &object) { $0.positiveMoney($1) }
        let budget = reader.optional("budget_usd", of: &object) { $0.positiveMoney($1) }
        let deadline = reader.optional("deadline", of: &object) { readDeadline($1, with: &$0, now: now) }
        let work = reader.optional("work", of: &object) { Work.read($1, with: &$0, catalog: catalog) }
        let dataset = reader.optional("dataset", of: &object) { Dataset.read($1, with: &$0) }
        let checkpoint = reader.optional("checkpoint", of: &object) { Checkpoint.read($1, with: &$0) }
        let image = reader.required("image", of: &object) { $0.text($1) }
        let command = reader.required("command", of: &object) { readCommand($1, with: &$0) }
        let env = reader.optional("env", of: &object) { readEnvironment($1, with: &$0) }
        reader.close(object)

        guard let name, let resources, let image, let command else { return nil }
        return JobSpec(
            name: name, resources: resources, placement: placement ?? Placement(), market: market ?? .auto,
            maxPricePerHour: maxPricePerHour, budget: budget, deadline: deadline, work: work, dataset: dataset,
            checkpoint: checkpoint, image: image, command: command, env: env ?? [:])
    }

    private static func readDeadline(_ field: JSONField, with reader: inout JSONFieldReader, now: Date) -> Date? {
        guard let text = reader.string(field) else { return nil }
        guard let deadline = RFC3339.date(from: text) else {
            reader.report(field.path, "'\(text)' is not an RFC 3339 timestamp like 2026-12-04T18:00:00Z")
            return nil
        }
        guard deadline > now else {
            reader.report(field.path, "must be in the future (now is \(RFC3339.string(from: now)))")
            return nil
        }
        return deadline
    }

    /// A non-empty array of strings whose first element, the program, is not empty.
    private static func readCommand(_ field: JSONField, with reader: inout JSONFieldReader) -> [String]? {
        guard let command = reader.strings(field) else { return nil }
        guard let program = command.first else {
            reader.report(field.path, "must not be empty")
            return nil
        }
        guard !program.allSatisfy(\.isWhitespace) else {
            reader.report(field.path(ofElement: 0), "must not be empty")
            return nil
        }
        return command
    }

    private static func readEnvironment(_ field: JSONField, with reader: inout JSONFieldReader) -> [String: String]? {
        guard var object = reader.object(field) else { return nil }
        var environment: [String: String] = [:]
        for (name, value) in object.takeAll() {
            if !isEnvironmentVariableName(name) {
                reader.report(value.path, "'\(name)' is not a valid environment variable name")
            } else if Limits.reservedEnvironmentVariables.contains(name) {
                reader.report(value.path, "is set by the node agent and cannot be overridden")
            } else if let string = reader.string(value) {
                environment[name] = string
            }
        }
        reader.close(object)
        return environment
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`
    private static func isEnvironmentVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first.asciiDigitValue == nil else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || $0.asciiDigitValue != nil || $0.isASCIILetter }
    }
}
