/// Lower-case hexadecimal text of bytes (digests, ids), written directly: no format strings.
public enum Hex {
    @usableFromInline static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Inlinable, so each caller gets it specialized for its bytes (a digest, an array): the
    /// generic version walked a token's SHA-256 byte by byte through witness tables at every request.
    @inlinable
    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
