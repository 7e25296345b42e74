import Hummingbird

/// The credential of an `Authorization: Bearer <token>` header, its scheme in any case (RFC 9110).
enum BearerToken {
    static func from(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], let space = header.firstIndex(of: " "),
            isBearer(header[..<space])
        else { return nil }
        // Optional whitespace is spaces and tabs (RFC 9110 §5.6.3); trimmed by hand, as
        // Foundation's character sets cost more than the rest of authentication.
        let isBlank = { (character: Character) in character == " " || character == "\t" }
        var token = header[header.index(after: space)...].drop(while: isBlank)
        while let last = token.last, isBlank(last) { token.removeLast() }
        return token.isEmpty ? nil : String(token)
    }

    /// Whether `scheme` is "Bearer" in any case, compared byte by byte with the ASCII lower-case
    /// bit (0x20) set: only each letter's two cases become the letters of "bearer" that way.
    private static func isBearer(_ scheme: Substring) -> Bool {
        scheme.utf8.elementsEqual("bearer".utf8) { $0 | 0x20 == $1 }
    }
}
