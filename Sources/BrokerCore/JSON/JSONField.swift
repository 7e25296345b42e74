/// A value in a document together with the path it was found at, for error messages.
struct JSONField: Sendable {
    var value: JSONValue
    /// "resources.gpu[1]"; empty for the document itself.
    var path: String

    /// The path of member `key` of this value.
    func path(ofMember key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// The path of element `index` of this value.
    func path(ofElement index: Int) -> String {
        "\(path)[\(index)]"
    }
}
