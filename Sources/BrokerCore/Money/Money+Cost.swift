extension Money {
    /// What `seconds` of use cost when `self` is a price per hour.
    ///
    /// Computed exactly in 128-bit arithmetic and rounded half-to-even to the micro-dollar, so
    /// summing per-interval costs drifts by at most half a micro-dollar per interval.
    /// Traps if the result does not fit in `Int64` micro-dollars.
    public func cost(forSeconds seconds: Int64) -> Money {
        let product = microdollars.multipliedFullWidth(by: seconds)
        let (quotient, remainder) = Int64(3600).dividingFullWidth(product)
        return Money(microdollars: quotient.roundedHalfEven(remainder: remainder, divisor: 3600))
    }
}

extension Int64 {
    /// Rounds a truncated quotient (`self`) half-to-even, given the remainder of the division and
    /// the (positive) divisor.
    func roundedHalfEven(remainder: Int64, divisor: Int64) -> Int64 {
        let twiceRemainder = remainder.magnitude * 2
        if twiceRemainder < divisor.magnitude { return self }
        if twiceRemainder == divisor.magnitude && self % 2 == 0 { return self }
        return remainder < 0 ? self - 1 : self + 1
    }
}
