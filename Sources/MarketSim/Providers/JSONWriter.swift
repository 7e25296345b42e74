/// Writes JSON straight into bytes: the Vast answer for 100,000 offers is tens of megabytes, and
/// building it without intermediate values or `JSONEncoder` keeps one request in the tens of
/// milliseconds.
///
/// The caller is responsible for structure (commas, brackets); the writer gets the tokens right:
/// escaped strings, integers, and decimals with a fixed number of fraction digits at most.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 1_024) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends text that is already valid JSON (punctuation, keys known to need no escaping).
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends `"key":`.
    mutating func key(_ name: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Appends a comma when `first` is false, and clears `first`.
    mutating func separator(_ first: inout Bool) {
        if first {
            first = false
        } else {
            bytes.append(UInt8(ascii: ","))
        }
    }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var needsEscaping = false
            for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                needsEscaping = true
                break
            }
            if !needsEscaping {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    bytes.append(UInt8(ascii: "\\"))
                    bytes.append(byte)
                case UInt8(ascii: "\n"):
                    raw("\\n")
                case UInt8(ascii: "\r"):
                    raw("\\r")
                case UInt8(ascii: "\t"):
                    raw("\\t")
                case 0..<0x20:
                    raw("\\u00")
                    bytes.append(Self.hexDigits[Int(byte >> 4)])
                    bytes.append(Self.hexDigits[Int(byte & 0xF)])
                default:
                    bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func int(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
        }
        appendDigits(value.magnitude)
    }

    mutating func bool(_ value: Bool) {
        if value { raw("true") } else { raw("false") }
    }

    mutating func null() {
        raw("null")
    }

    /// Appends a decimal rounded to at most `fractionDigits` digits (0…9), trailing zeros removed
    /// but at least one fraction digit kept, as Python's `json` writes floats ("2.0", "0.4123").
    mutating func decimal(_ value: Double, fractionDigits: Int = 4) {
        guard value.isFinite else {
            null()
            return
        }
        let scale = Self.powersOfTen[fractionDigits]
        let scaled = (abs(value) * Double(scale)).rounded()
        guard scaled < 9.0e18 else {
            // Far beyond any price: fall back to Swift's shortest representation.
            var text = value.description
            text.withUTF8 { bytes.append(contentsOf: $0) }
            return
        }
        let units = UInt64(scaled)
        if value < 0 && units > 0 {
            bytes.append(UInt8(ascii: "-"))
        }
        appendDigits(units / scale)
        bytes.append(UInt8(ascii: "."))
        var fraction = units % scale
        var digits = fractionDigits
        while digits > 1 && fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let start = bytes.count
        appendDigits(fraction)
        let written = bytes.count - start
        if written < digits {
            bytes.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits - written), at: start)
        }
    }

    /// Appends a decimal or `null`.
    mutating func decimal(_ value: Double?, fractionDigits: Int = 4) {
        if let value { decimal(value, fractionDigits: fractionDigits) } else { null() }
    }

    private mutating func appendDigits(_ value: UInt) {
        appendDigits(UInt64(value))
    }

    private mutating func appendDigits(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var count = 1
        while count < 20 && value >= Self.powersOfTen64[count] { count += 1 }
        var remaining = value
        let end = bytes.count + count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        var position = end - 1
        while remaining > 0 {
            bytes[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
            position -= 1
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    private static let powersOfTen: [UInt64] = (0...9).map { exponent in
        (0..<exponent).reduce(1) { power, _ in power * 10 }
    }
    /// 10^0 … 10^19, for counting digits.
    private static let powersOfTen64: [UInt64] = (0...19).map { exponent in
        (0..<exponent).reduce(1) { power, _ in power * 10 }
    }
}
