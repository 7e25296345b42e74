/// Numbers as they go into SVG coordinates: two decimals, no exponent.
enum Geometry {
    static func rounded(_ value: Double) -> Double {
        guard value.isFinite else { return 0 }
        return (value * 100).rounded() / 100
    }
}
