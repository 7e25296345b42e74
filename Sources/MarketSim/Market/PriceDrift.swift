/// How a price moves over time: a deterministic function of (seed, offer key, time), bounded.
///
/// The factor that multiplies an offer's base price is `1 + amplitude × (0.6 × slow + 0.4 × noise)`,
/// where `slow` is a sinusoid with a period of 6 to 72 hours and a phase chosen per offer, and
/// `noise` is a uniform draw in [-1, 1] per step. Prices are piecewise constant: each offer reprices
/// at the start of its own steps (15 minutes to 2 hours long, offset per offer), as hosts and clouds
/// do, rather than continuously. The factor stays within `1 ± amplitude`.
struct PriceDrift: Sendable {
    let seed: UInt64

    /// The multiplier for the price of the offer `key` at `time` (Unix seconds).
    func factor(key: UInt64, at time: Double, amplitude: Double) -> Double {
        let traits = SplitMix64.hash(seed, key, 0x5052_4943_45)
        let stepSeconds = 900.0 * Double(1 + (traits & 7))  // 15 min … 2 h
        let offset = SplitMix64.unit(SplitMix64.finalize(traits)) * stepSeconds
        let step = ((time + offset) / stepSeconds).rounded(.down)
        let stepStart = step * stepSeconds - offset
        let period = 3600.0 * (6 + Double((traits >> 8) % 67))  // 6 … 72 h
        let phase = Double((traits >> 16) & 0xFFFF) / 65536.0 * 2 * Double.pi
        let slow = Self.sine(2 * Double.pi * stepStart / period + phase)
        let noiseBits = SplitMix64.hash(seed ^ 0x4E4F_4953_45, key, UInt64(bitPattern: Int64(step)))
        let noise = SplitMix64.unit(noiseBits) * 2 - 1
        return 1 + amplitude * (0.6 * slow + 0.4 * noise)
    }

    /// Whether the offer `key` has capacity at `time`: time is cut into slots of `slotSeconds`
    /// (offset per offer), and in each slot the offer is gone with probability `outage`.
    func isAvailable(key: UInt64, at time: Double, slotSeconds: Double, outage: Double) -> Bool {
        guard outage > 0 else { return true }
        let traits = SplitMix64.hash(seed, key, 0x534C_4F54)
        let offset = SplitMix64.unit(traits) * slotSeconds
        let slot = ((time + offset) / slotSeconds).rounded(.down)
        let draw = SplitMix64.hash(seed ^ 0x4341_5041_4349_5459, key, UInt64(bitPattern: Int64(slot)))
        return SplitMix64.unit(draw) >= outage
    }

    /// The start of the current price step of `key` (Unix seconds), for "price since" timestamps.
    func stepStart(key: UInt64, at time: Double) -> Double {
        let traits = SplitMix64.hash(seed, key, 0x5052_4943_45)
        let stepSeconds = 900.0 * Double(1 + (traits & 7))
        let offset = SplitMix64.unit(SplitMix64.finalize(traits)) * stepSeconds
        return ((time + offset) / stepSeconds).rounded(.down) * stepSeconds - offset
    }

    /// `sin` without Foundation: reduce to [-π, π] and use an odd polynomial (max error ~1e-6,
    /// plenty for prices rounded to 1/10,000 of a dollar, and identical on every platform).
    static func sine(_ angle: Double) -> Double {
        let twoPi = 2 * Double.pi
        var x = angle - (angle / twoPi).rounded() * twoPi
        // Fold into [-π/2, π/2] where the polynomial is accurate.
        if x > Double.pi / 2 {
            x = Double.pi - x
        } else if x < -Double.pi / 2 {
            x = -Double.pi - x
        }
        let x2 = x * x
        return x * (1 - x2 / 6 * (1 - x2 / 20 * (1 - x2 / 42 * (1 - x2 / 72 * (1 - x2 / 110)))))
    }
}
