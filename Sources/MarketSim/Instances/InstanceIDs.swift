/// The providers' id formats, drawn deterministically from the seed and a counter, so that the
/// same launches against the same seed get the same ids.
enum InstanceIDs {
    /// The `number`-th id `provider` hands out.
    static func make(_ provider: SimulatedProvider, seed: UInt64, number: Int) -> String {
        let bits = SplitMix64.hash(seed, SplitMix64.key(provider.rawValue), UInt64(number))
        switch provider {
        case .vast:
            // Contract numbers grow: a seeded start, then one number in each window of 8.
            let start = 7_000_000 + Int(SplitMix64.hash(seed, 0x5641_5354_4944) % 900_000)
            return String(start + number * 8 + Int(bits % 8))
        case .runpod:
            return base36(bits, length: 14)
        case .lambda:
            return hex(bits, 16) + hex(SplitMix64.finalize(bits), 16)
        case .aws:
            return "i-" + hex(bits, 17)
        case .shadeform:
            return uuid(bits)
        }
    }

    /// An EC2 reservation id for the `number`-th launch.
    static func reservation(seed: UInt64, number: Int) -> String {
        "r-" + hex(SplitMix64.hash(seed, 0x5245_5345_5256, UInt64(number)), 17)
    }

    /// A version-4-shaped UUID from 64 random bits.
    static func uuid(_ bits: UInt64) -> String {
        let high = SplitMix64.finalize(bits)
        let low = SplitMix64.finalize(high)
        return hex(high >> 32, 8) + "-" + hex((high >> 16) & 0xFFFF, 4) + "-4" + hex(high & 0xFFF, 3) + "-"
            + hex(0x8000 | (low >> 48) & 0x3FFF, 4) + "-" + hex(low & 0xFFFF_FFFF_FFFF, 12)
    }

    /// The last `digits` hex digits of `value`, zero-padded.
    static func hex(_ value: UInt64, _ digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text.suffix(digits)
    }

    private static func base36(_ value: UInt64, length: Int) -> String {
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        var rest = value
        var out = ""
        for _ in 0..<length {
            out.append(alphabet[Int(rest % 36)])
            rest = rest / 36 == 0 ? SplitMix64.finalize(rest) : rest / 36
        }
        return out
    }
}
