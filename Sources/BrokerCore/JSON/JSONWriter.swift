#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Writes compact JSON straight into bytes, for the answers the API sends most: no encoder, no
/// keyed containers, no intermediate strings. Money is written as its exact decimal, dates as
/// RFC 3339 in UTC to the second (as the API's `JSONEncoder` writes them), strings with `"`, `\`
/// and control characters escaped and everything else, `/` included, as it is.
///
/// Commas are placed by the writer: call ``key(_:)`` before each member's value, and the value
/// methods in order.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Whether the next member or element needs a comma before it.
    private var needsComma = false
    /// The last date written and its text (the text's room reused from date to date): the offers
    /// of one answer mostly share when they were last seen (their provider's last listing).
    private var lastDate: Date?
    private var lastDateText: [UInt8] = []

    public init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// A member's name; its value follows.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ text: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        escaped(text)
        bytes.append(UInt8(ascii: "\""))
    }

    /// One string of `first`, `separator` and `second`, without building it first.
    public mutating func string(_ first: String, _ separator: Unicode.Scalar, _ second: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        escaped(first)
        escaped(String(separator))
        escaped(second)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `text`'s bytes, escaped as a JSON string's contents.
    private mutating func escaped(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            // Runs that need no escape are copied whole.
            var runStart = 0
            for (index, byte) in utf8.enumerated()
            where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                escape(byte)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
    }

    private mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "n"))
        case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "r"))
        case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "t"))
        default:
            literal("u00")
            bytes.append(Self.hexDigits[Int(byte >> 4)])
            bytes.append(Self.hexDigits[Int(byte & 0xF)])
        }
    }

    public mutating func int(_ value: Int) { integer(Int64(value)) }

    public mutating func integer(_ value: Int64) {
        separate()
        digits(value)
    }

    /// Dollars, exactly: 2913000 micro-dollars is `2.913`.
    public mutating func dollars(_ amount: Money) {
        separate()
        let (whole, fraction) = amount.microdollars.magnitude.quotientAndRemainder(
            dividingBy: UInt64(Money.microdollarsPerDollar))
        if amount.microdollars < 0 { bytes.append(UInt8(ascii: "-")) }
        digits(Int64(whole))
        guard fraction > 0 else { return }
        bytes.append(UInt8(ascii: "."))
        var divisor: UInt64 = 100_000
        var rest = fraction
        while rest > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// As `JSONEncoder` writes it: a whole number without a fraction (`2`, not `2.0`).
    public mutating func double(_ value: Double) {
        separate()
        if value == value.rounded(), value.magnitude < 1e15 {
            digits(Int64(value))
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    /// An object begun elsewhere: `head` holds `{`, its members so far and the next member's key,
    /// whose value comes next.
    public mutating func object(resuming head: [UInt8]) {
        separate()
        bytes.append(contentsOf: head)
        needsComma = false
    }

    /// A value that is already JSON, copied as it is.
    public mutating func json(_ value: [UInt8]) {
        separate()
        bytes.append(contentsOf: value)
    }

    public mutating func bool(_ value: Bool) {
        separate()
        literal(value ? "true" : "false")
    }

    public mutating func null() {
        separate()
        literal("null")
    }

    /// `"2026-12-06T20:04:07Z"`: UTC, the fraction of a second dropped.
    public mutating func date(_ date: Date) {
        separate()
        if date == lastDate {
            bytes.append(contentsOf: lastDateText)
            return
        }
        let start = bytes.count
        defer {
            lastDate = date
            lastDateText.removeAll(keepingCapacity: true)
            lastDateText.append(contentsOf: bytes[start...])
        }
        let fields = RFC3339.fields(of: date)
        bytes.append(UInt8(ascii: "\""))
        padded(fields.year, width: 4, then: "-")
        padded(fields.month, width: 2, then: "-")
        padded(fields.day, width: 2, then: "T")
        padded(fields.hour, width: 2, then: ":")
        padded(fields.minute, width: 2, then: ":")
        padded(fields.second, width: 2, then: "Z")
        bytes.append(UInt8(ascii: "\""))
    }

    /// `value`, or `null` when it is nil.
    public mutating func optional<Value>(_ value: Value?, _ write: (inout JSONWriter, Value) -> Void) {
        if let value { write(&self, value) } else { null() }
    }

    /// An array of `values`, each written by `write`.
    public mutating func array<Values: Sequence>(
        _ values: Values, _ write: (inout JSONWriter, Values.Element) -> Void
    ) {
        beginArray()
        for value in values { write(&self, value) }
        endArray()
    }

    private mutating func literal(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        needsComma = false
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        needsComma = true
    }

    /// The comma before a member or element that follows another; every value ends needing one.
    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    private mutating func digits(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var divisor: UInt64 = 1
        while magnitude / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
    }

    /// `value` zero-padded to `width` digits, then `separator`.
    private mutating func padded(_ value: Int64, width: Int, then separator: Unicode.Scalar) {
        defer { bytes.append(UInt8(ascii: separator)) }
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }
}

/// A value the API writes with a ``JSONWriter``.
public protocol JSONWritable: Sendable {
    func write(to writer: inout JSONWriter)
}
