/// The members of one JSON object, handed out by key. It remembers which keys were asked for, so
/// that ``leftoverErrors()`` can report every other key as unknown, and every repeated key.
struct JSONObjectReader {
    let object: JSONField
    private let members: [JSONValue.Member]
    private var asked: Set<String> = []

    init(_ object: JSONField, members: [JSONValue.Member]) {
        self.object = object
        self.members = members
    }

    /// The member `key` (possibly `null`), or nil when absent.
    mutating func take(_ key: String) -> JSONField? {
        asked.insert(key)
        return members.first { $0.key == key }.map { JSONField(value: $0.value, path: object.path(ofMember: $0.key)) }
    }

    /// Every member, in document order, for objects whose keys are data (like `env`).
    mutating func takeAll() -> [(key: String, field: JSONField)] {
        asked.formUnion(members.map(\.key))
        return members.map { ($0.key, JSONField(value: $0.value, path: object.path(ofMember: $0.key))) }
    }

    /// Unknown keys (with a suggestion when one differs from a known key only in case, dashes or
    /// underscores) and keys that appear more than once.
    func leftoverErrors() -> [FieldError] {
        var errors: [FieldError] = []
        var seen: Set<String> = []
        for member in members {
            let path = object.path(ofMember: member.key)
            if !seen.insert(member.key).inserted {
                errors.append(FieldError(field: path, message: "appears more than once"))
            } else if !asked.contains(member.key) {
                var message = "unknown field '\(member.key)'"
                if let known = asked.first(where: { Self.loose($0) == Self.loose(member.key) }) {
                    message += "; did you mean '\(known)'?"
                }
                errors.append(FieldError(field: path, message: message))
            }
        }
        return errors
    }

    private static func loose(_ key: String) -> String {
        String(key.lowercased().filter { $0 != "_" && $0 != "-" })
    }
}
