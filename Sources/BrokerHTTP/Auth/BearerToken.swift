import Hummingbird

/// The credential of an `Authorization: Bearer <token>` header, its scheme in any case (RFC 9110).
enum BearerToken {
    static func from(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        // Optional whitespace is spaces and tabs (RFC 9110 §5.6.3); trimmed by hand, as
        // Foundation's character sets cost more than the rest of authentication.
        let isBlank = { (character: Character) in character == " " || character == "\t" }
        var token = parts[1].drop(while: isBlank)
        while let last = token.last, isBlank(last) { token.removeLast() }
        return token.isEmpty ? nil : String(token)
    }
}
