#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Ids for jobs and nodes: a prefix, then 10 characters of milliseconds since 1970 and 16 random
/// ones in Crockford's base 32 (`job_01JD3…`), so ids sort by creation time and never collide in
/// practice.
public enum Identifier {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    public static func make(
        _ prefix: String, at date: Date, using generator: inout some RandomNumberGenerator
    ) -> String {
        let milliseconds = UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.down)))
        var characters: [UInt8] = []
        characters.reserveCapacity(26)
        for shift in stride(from: 45, through: 0, by: -5) {
            characters.append(alphabet[Int((milliseconds >> UInt64(shift)) & 31)])
        }
        for _ in 0..<16 {
            let random: UInt64 = generator.next()
            characters.append(alphabet[Int(random & 31)])
        }
        return prefix + "_" + String(decoding: characters, as: UTF8.self)
    }

    /// Whether `text` has the form of an id made with `prefix` (a page cursor must be one).
    public static func isWellFormed(_ text: String, prefix: String) -> Bool {
        let body = text.utf8.dropFirst(prefix.utf8.count + 1)
        return text.hasPrefix(prefix + "_") && body.count == 26 && body.allSatisfy(alphabet.contains)
    }

    /// An id made with the system's random generator.
    public static func make(_ prefix: String, at date: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(prefix, at: date, using: &generator)
    }
}
