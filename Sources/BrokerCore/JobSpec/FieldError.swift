/// One problem with one field of a request, e.g. `resources.nodes`: "must be at least 1".
///
/// `field` is a path: keys joined by dots, array elements by index ("resources.gpu[1]",
/// "env.WANDB_PROJECT"); the empty path is the document itself (malformed JSON, not an object).
/// Encodes as `{"field": …, "message": …}`, the shape of problem+json's `errors`.
public struct FieldError: Sendable, Hashable, Codable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { field.isEmpty ? message : "\(field): \(message)" }
}
