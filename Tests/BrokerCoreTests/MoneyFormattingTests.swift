import BrokerCore
import Testing

@Suite("Money formatting")
struct MoneyFormattingTests {
    @Test(
        "formats dollars with a sign and rounds half to even",
        arguments: [
            (14_320_000, 2, "$14.32"),
            (-50_000, 2, "-$0.05"),
            (0, 2, "$0.00"),
            (1_250_000_000, 2, "$1250.00"),
            (125_000, 2, "$0.12"),
            (135_000, 2, "$0.14"),
            (125_001, 2, "$0.13"),
            (-125_000, 2, "-$0.12"),
            (-4_999, 2, "$0.00"),  // no "-$0.00"
            (-5_001, 2, "-$0.01"),
            (999_999, 2, "$1.00"),
            (287_000, 3, "$0.287"),
            (1, 6, "$0.000001"),
            (1_500_000, 0, "$2"),
            (2_500_000, 0, "$2"),
            (1, 9, "$0.000001"),  // clamped to 6
            (14_320_000, -1, "$14"),  // clamped to 0
            (Int64.min, 2, "-$9223372036854.78"),
        ] as [(Int64, Int, String)]
    )
    func formatted(microdollars: Int64, digits: Int, expected: String) {
        #expect(Money(microdollars: microdollars).formatted(fractionDigits: digits) == expected)
    }

    @Test("formats two decimals by default")
    func defaultDigits() {
        #expect(Money(microdollars: 1_790_000).formatted() == "$1.79")
    }

    @Test(
        "decimal strings are exact and trimmed, and parse back",
        arguments: [
            (14_320_000, "14.32"),
            (1, "0.000001"),
            (3_000_000, "3"),
            (-1_500_000, "-1.5"),
            (0, "0"),
            (-1, "-0.000001"),
            (287_000, "0.287"),
        ] as [(Int64, String)]
    )
    func decimalString(microdollars: Int64, expected: String) throws {
        let money = Money(microdollars: microdollars)
        #expect(money.decimalString == expected)
        #expect(try Money(parsing: money.decimalString) == money)
    }

    @Test("dollars as Double for JSON output")
    func dollars() {
        #expect(Money(microdollars: 14_320_000).dollars == 14.32)
        #expect(Money(microdollars: -1).dollars == -0.000001)
    }
}
