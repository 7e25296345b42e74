import BrokerCore
import Foundation

/// A forward-only reader over JSON bytes, for answers too large for `JSONDecoder`: Vast's search
/// returns up to 100,000 offers of some fifty fields each, which `JSONDecoder` needs seconds for,
/// while a reader that only materializes the dozen fields the adapter reads takes a fraction of that.
///
/// It checks the syntax of everything it passes over (strings, numbers, literals, nesting), so a
/// body that is cut off or corrupt fails with ``Failure`` rather than giving partial results.
struct JSONScanner {
    /// A syntax error or an unexpected end; the position is kept for debugging only.
    struct Failure: Error {
        var offset: Int
    }

    /// A scalar field value as read.
    enum Scalar {
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
        /// An object or an array, skipped.
        case nested
    }

    static let maximumDepth = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private func fail() -> Failure { Failure(offset: index) }

    // MARK: Structure

    /// The next significant byte, without consuming it; nil at the end.
    @inline(__always)
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    /// How many bytes are left.
    var remainingBytes: Int { bytes.count - index }

    /// Whether only whitespace is left.
    mutating func isAtEnd() -> Bool {
        peek() == nil
    }

    /// Consumes `byte` (after whitespace) or fails.
    @inline(__always)
    mutating func expect(_ byte: UInt8) throws(Failure) {
        guard peek() == byte else { throw fail() }
        index += 1
    }

    /// Consumes `byte` if it is next.
    @inline(__always)
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    /// After a member or element: true after a ',', false after `close`, fails otherwise.
    @inline(__always)
    mutating func nextMember(close: UInt8) throws(Failure) -> Bool {
        switch peek() {
        case UInt8(ascii: ","):
            index += 1
            return true
        case close:
            index += 1
            return false
        default:
            throw fail()
        }
    }

    /// Reads an object key and the ':' after it; returns the key's raw bytes (escapes not
    /// decoded: keys with escapes never equal the plain names the adapters look for).
    mutating func readKey() throws(Failure) -> UnsafeBufferPointer<UInt8> {
        guard peek() == UInt8(ascii: "\"") else { throw fail() }
        let start = index + 1
        try skipString()
        let key = UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)])
        try expect(UInt8(ascii: ":"))
        return key
    }

    // MARK: Values

    /// Reads a scalar, skipping (and checking) an object or array.
    mutating func readScalar() throws(Failure) -> Scalar {
        switch peek() ?? 0 {
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipValue()
            return .nested
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try readNumber())
        default:
            throw fail()
        }
    }

    /// Skips any value, checking its syntax.
    mutating func skipValue(depth: Int = 0) throws(Failure) {
        guard depth < Self.maximumDepth else { throw fail() }
        switch peek() ?? 0 {
        case UInt8(ascii: "{"):
            index += 1
            if consume(UInt8(ascii: "}")) { return }
            repeat {
                _ = try readKey()
                try skipValue(depth: depth + 1)
            } while try nextMember(close: UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            index += 1
            if consume(UInt8(ascii: "]")) { return }
            repeat {
                try skipValue(depth: depth + 1)
            } while try nextMember(close: UInt8(ascii: "]"))
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try numberRange()
        default: throw fail()
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail() }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for offset in 0..<count where bytes[index + offset] != expected[offset] { throw fail() }
        index += count
    }

    // MARK: Strings

    /// Skips a string at `index` (which is its opening quote), then checks its escapes if it has any.
    /// Control bytes inside strings are let through.
    private mutating func skipString() throws(Failure) {
        index += 1
        let start = index
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\"") {
                if escaped { try checkEscapes(from: start, to: index - 1) }
                return
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 1  // the escaped byte, even a quote
            }
        }
        throw fail()
    }

    /// Checks the escapes in `bytes[start..<end]`, a piece of a string.
    private func checkEscapes(from start: Int, to end: Int) throws(Failure) {
        var i = start
        while i < end {
            guard bytes[i] == UInt8(ascii: "\\") else {
                i += 1
                continue
            }
            guard i + 1 <= end else { throw fail() }
            switch i + 1 < end ? bytes[i + 1] : UInt8(ascii: "\"") {
            case UInt8(ascii: "u"):
                guard i + 5 < end, (2...5).allSatisfy({ Self.hexValue(bytes[i + $0]) != nil }) else { throw fail() }
                i += 6
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                i += 2
            default:
                throw fail()
            }
        }
    }

    /// Reads a string at `index`, decoding escapes; invalid UTF-8 is repaired.
    mutating func readString() throws(Failure) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw fail() }
        let start = index + 1
        try skipString()
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)])
        guard raw.contains(UInt8(ascii: "\\")) else { return String(decoding: raw, as: UTF8.self) }
        return Self.unescape(raw)
    }

    private static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        func hex4(_ at: Int) -> UInt32 {
            (0..<4).reduce(0) { $0 << 4 | UInt32(hexValue(raw[at + $1]) ?? 0) }
        }
        func append(_ scalar: Unicode.Scalar) {
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        while i < raw.count {
            let byte = raw[i]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                i += 1
                continue
            }
            let code = raw[i + 1]
            i += 2
            switch code {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var value = hex4(i)
                i += 4
                if (0xD800..<0xDC00).contains(value), i + 5 < raw.count, raw[i] == UInt8(ascii: "\\"),
                    raw[i + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(i + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                append(Unicode.Scalar(value) ?? "\u{FFFD}")
            default: out.append(code)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    // MARK: Numbers

    /// 10^0 ... 10^22, each exact in a `Double`.
    private static let powersOfTen: [Double] = {
        var powers: [Double] = [1]
        for _ in 1...22 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    /// Checks and skips a number, returning its bytes' range.
    private mutating func numberRange() throws(Failure) -> Range<Int> {
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard skipDigits() > 0 else { throw fail() }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard skipDigits() > 0 else { throw fail() }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard skipDigits() > 0 else { throw fail() }
        }
        return start..<index
    }

    private mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index - start
    }

    /// Reads a number: exactly rounded, directly from the digits when they fit a `Double`'s
    /// significand (the common case), through `Double(String)` otherwise.
    private mutating func readNumber() throws(Failure) -> Double {
        let range = try numberRange()
        var i = range.lowerBound
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var inFraction = false
        while i < range.upperBound {
            let byte = bytes[i]
            if byte == UInt8(ascii: ".") {
                inFraction = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                mantissa = mantissa &* 10 &+ UInt64(byte - UInt8(ascii: "0"))
                digits += 1
                if inFraction { fractionDigits += 1 }
            } else {
                digits = .max  // an exponent: take the slow path
                break
            }
            i += 1
        }
        if digits <= 15, fractionDigits < Self.powersOfTen.count {
            let value = Double(mantissa) / Self.powersOfTen[fractionDigits]
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        guard let value = Double(text) else { throw fail() }
        return value
    }

    // MARK: Whitespace

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether these bytes spell `word` (ASCII).
    func spells(_ word: StaticString) -> Bool {
        guard count == word.utf8CodeUnitCount else { return false }
        guard let baseAddress else { return count == 0 }
        return memcmp(baseAddress, word.utf8Start, count) == 0
    }
}

extension JSONScanner.Scalar {
    /// Text; numbers and booleans as text. Nil for null and nested values.
    var text: String? {
        switch self {
        case .string(let text): text
        case .number(let value): value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .bool(let value): String(value)
        case .null, .nested: nil
        }
    }

    /// An id: an integer, or a non-blank string (trimmed).
    var id: String? {
        switch self {
        case .number(let value) where value.rounded() == value && abs(value) < 1e15: return String(Int64(value))
        case .string(let text):
            let trimmed = ProviderJSON.trimmed(text)
            return trimmed.isEmpty ? nil : trimmed
        default: return nil
        }
    }

    /// A finite number, also from text ("0.287000").
    var double: Double? {
        switch self {
        case .number(let value): return value.isFinite ? value : nil
        case .string(let text): return Double(ProviderJSON.trimmed(text)).flatMap { $0.isFinite ? $0 : nil }
        default: return nil
        }
    }

    /// A whole number ("8", 8, 8.0).
    var int: Int? {
        guard let value = double, value.rounded() == value, abs(value) < 1e15 else { return nil }
        return Int(value)
    }

    /// Dollars: a decimal string parsed exactly, or a number (through `Double`); null is missing.
    var dollars: LenientAmount {
        switch self {
        case .number(let value): return Money(dollars: value).map(LenientAmount.amount) ?? .invalid
        case .string(let text): return (try? Money(parsing: text)).map(LenientAmount.amount) ?? .invalid
        case .null: return .missing
        case .bool, .nested: return .invalid
        }
    }

    /// A boolean, also as "true"/"false" or 1/0.
    var bool: Bool? {
        switch self {
        case .bool(let value): return value
        case .number(let value): return value != 0
        case .string(let text):
            switch text.lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: return nil
            }
        default: return nil
        }
    }
}
