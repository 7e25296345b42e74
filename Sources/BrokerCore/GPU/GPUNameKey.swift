/// The normalized form of a GPU name that catalog lookups compare: lowercase ASCII, with spaces,
/// dashes, underscores, slashes, commas and parentheses removed and vendor words dropped.
///
/// "NVIDIA GeForce RTX 4090", "RTX-4090" and "rtx_4090" all become "rtx4090".
enum GPUNameKey {
    /// Whole words that name a vendor or a brand line rather than a model.
    private static let vendorWords: [[UInt8]] = ["nvidia", "geforce", "tesla", "amd", "instinct", "radeon"].map {
        Array($0.utf8)
    }

    static func normalize(_ name: String) -> String {
        var key: [UInt8] = []
        key.reserveCapacity(name.utf8.count)
        var wordStart = 0
        func endWord() {
            if vendorWords.contains(where: { $0.elementsEqual(key[wordStart...]) }) {
                key.removeSubrange(wordStart...)
            }
            wordStart = key.count
        }
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "/"), UInt8(ascii: ","),
                UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\t"):
                endWord()
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                key.append(byte + 32)
            default:
                key.append(byte)
            }
        }
        endWord()
        return String(decoding: key, as: UTF8.self)
    }
}
