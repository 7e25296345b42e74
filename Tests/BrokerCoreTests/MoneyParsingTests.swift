import BrokerCore
import Testing

@Suite("Money parsing")
struct MoneyParsingTests {
    @Test(
        "reads plain decimals exactly",
        arguments: [
            ("0.287000", 287_000),
            ("12.29", 12_290_000),
            ("3", 3_000_000),
            ("-1.5", -1_500_000),
            ("+2.25", 2_250_000),
            ("  14.32\n", 14_320_000),
            ("0", 0),
            ("-0", 0),
            ("0.000001", 1),
            ("007.10", 7_100_000),
            ("9223372036854.775807", Int64.max),
            ("-9223372036854.775807", -Int64.max),
        ] as [(String, Int64)]
    )
    func valid(text: String, microdollars: Int64) throws {
        #expect(try Money(parsing: text) == Money(microdollars: microdollars))
    }

    @Test(
        "rounds digits beyond the micro-dollar half to even",
        arguments: [
            ("0.0000005", 0),
            ("0.0000015", 2),
            ("0.0000025", 2),
            ("0.0000035", 4),
            ("0.00000051", 1),
            ("0.0000004999999", 0),
            ("0.0000006", 1),
            ("-0.0000015", -2),
            ("-0.0000005", 0),
            ("-0.0000006", -1),
            ("1.9999995", 2_000_000),
            ("0.28700049999999999999999", 287_000),
        ] as [(String, Int64)]
    )
    func rounding(text: String, microdollars: Int64) throws {
        #expect(try Money(parsing: text).microdollars == microdollars)
    }

    @Test(
        "rejects anything but a plain decimal",
        arguments: [
            "", "   ", "abc", "1.2.3", "$1", "NaN", "nan", "inf", "1e-3", "1E3", ".5", "5.", "-", "+",
            "1,000", "1 000", "--1", "+-1", "0x10", "١٢", "12.5 USD",
        ]
    )
    func malformed(text: String) {
        #expect(throws: MoneyParsingError(input: text, reason: .malformed)) { try Money(parsing: text) }
    }

    @Test(
        "reports amounts beyond Int64 micro-dollars as overflow",
        arguments: [
            "9223372036854.775808", "-9223372036854.775808", "10000000000000", "9223372036854.7758075",
            "99999999999999999999999999.5",
        ])
    func overflow(text: String) {
        #expect(throws: MoneyParsingError(input: text, reason: .overflow)) { try Money(parsing: text) }
    }

    @Test("a malformed tail wins over an overflowing head")
    func malformedBeforeOverflow() {
        let text = "99999999999999999999999abc"
        #expect(throws: MoneyParsingError(input: text, reason: .malformed)) { try Money(parsing: text) }
    }

    @Test("errors say what was wrong")
    func errorDescription() {
        #expect(MoneyParsingError(input: "$1", reason: .malformed).description == "'$1' is not a decimal amount")
    }
}
