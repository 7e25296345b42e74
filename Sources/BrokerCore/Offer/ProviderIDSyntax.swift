/// What a provider id (a configured provider's or an owner pool's) may be: it starts every offer
/// id (`<provider>:<native id>`) and tags instances, so it is short and plain.
public enum ProviderIDSyntax {
    /// What ``isValid(_:)`` accepts, in words for an error message.
    public static let rule = "1-32 of a-z, 0-9, '-' and '_', starting with a letter or digit"

    public static func isValid(_ text: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")
        return (1...32).contains(text.count) && text.allSatisfy(allowed.contains)
            && text.first.map { $0 != "-" && $0 != "_" } == true
    }
}
