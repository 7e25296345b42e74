/// Why a job spec was rejected: every problem found, not just the first.
public struct JobSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, in document order (unknown keys of an object after its known fields).
    public var errors: [FieldError]

    public init(errors: [FieldError]) {
        self.errors = errors
    }

    /// All problems on one line: "resources.nodes: must be at least 1; image: is required".
    public var description: String { errors.map(\.description).joined(separator: "; ") }
}
