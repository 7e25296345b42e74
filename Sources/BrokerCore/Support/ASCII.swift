extension UInt8 {
    /// The value of an ASCII decimal digit, or nil for any other byte.
    var asciiDigitValue: Int64? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) ? Int64(self - UInt8(ascii: "0")) : nil
    }

    /// An ASCII letter, either case.
    var isASCIILetter: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self | 0x20)
    }

    /// Space, tab, line feed or carriage return: JSON's whitespace.
    var isASCIIWhitespace: Bool {
        self == UInt8(ascii: " ") || self == UInt8(ascii: "\t") || self == UInt8(ascii: "\n")
            || self == UInt8(ascii: "\r")
    }
}

extension String {
    /// The decimal digits of `value`, left-padded with zeros to at least `width` characters.
    init(zeroPadding value: some BinaryInteger, width: Int) {
        let digits = String(value)
        self = String(repeating: "0", count: Swift.max(width - digits.count, 0)) + digits
    }
}
