import BrokerCore
import Foundation
import Testing

@Suite("Money")
struct MoneyTests {
    @Test("cents and dollars are micro-dollar multiples")
    func constructors() {
        #expect(Money(cents: 1432) == Money(microdollars: 14_320_000))
        #expect(Money(cents: -5) == Money(microdollars: -50_000))
        #expect(Money.zero.microdollars == 0)
    }

    @Test(
        "Double dollars round to the nearest micro-dollar, ties away from zero",
        arguments: [
            (14.32, 14_320_000),
            (0.1 + 0.2, 300_000),
            (0.0000005, 1),
            (0.0000015, 2),
            (0.0000025, 3),
            (-0.0000025, -3),
            (0.00000049, 0),
            (-1.5, -1_500_000),
            (9e12, 9_000_000_000_000_000_000),
        ] as [(Double, Int64)]
    )
    func fromDouble(dollars: Double, microdollars: Int64) {
        #expect(Money(dollars: dollars) == Money(microdollars: microdollars))
    }

    @Test(
        "non-finite and out-of-range Doubles are refused",
        arguments: [
            Double.nan, .infinity, -.infinity, 1e13, -1e13, 9.3e12,
        ])
    func fromDoubleRefused(dollars: Double) {
        #expect(Money(dollars: dollars) == nil)
    }

    @Test("adds, subtracts, multiplies and orders as integers")
    func arithmetic() {
        let price = Money(microdollars: 1_790_000)
        #expect(price + price == Money(microdollars: 3_580_000))
        #expect(price - Money(cents: 200) == Money(microdollars: -210_000))
        #expect(price * 8 == Money(microdollars: 14_320_000))
        #expect(3 * price == price * 3)
        #expect(Money(cents: -1) < .zero)
        #expect([Money(cents: 3), Money(cents: 1), Money(cents: 2)].sorted() == [1, 2, 3].map { Money(cents: $0) })
        var total = Money.zero
        total += price
        #expect(total == price)
    }

    @Test("encodes as the bare micro-dollar integer")
    func codable() throws {
        let data = try JSONEncoder().encode([Money(microdollars: 14_320_000)])
        #expect(String(decoding: data, as: UTF8.self) == "[14320000]")
        #expect(try JSONDecoder().decode([Money].self, from: data) == [Money(microdollars: 14_320_000)])
    }

    @Test(
        "cost over time treats the amount as a price per hour",
        arguments: [
            (14_320_000, 3600, 14_320_000),  // one hour
            (14_320_000, 1800, 7_160_000),
            (1_000_000, 1, 278),  // 277.77… rounds up
            (1_800_000, 1, 500),  // exact
            (1_000_000, 0, 0),
            (1, 1800, 0),  // exactly half a micro-dollar: to even (0)
            (3, 1800, 2),  // 1.5: to even (2)
            (-3, 1800, -2),
            (40_000_000, 86_400 * 365 * 3, 1_051_200_000_000),  // $40/h for three years
            (9_000_000_000_000, 3_600_000, 9_000_000_000_000_000),  // product exceeds Int64, result fits
        ] as [(Int64, Int64, Int64)]
    )
    func cost(pricePerHour: Int64, seconds: Int64, expected: Int64) {
        #expect(Money(microdollars: pricePerHour).cost(forSeconds: seconds) == Money(microdollars: expected))
    }

    @Test("per-second accrual adds up to the hourly price within rounding")
    func accrual() {
        let price = Money(dollars: 2.49)!
        let perSecond = (0..<3600).reduce(Money.zero) { total, _ in total + price.cost(forSeconds: 1) }
        #expect(abs(perSecond.microdollars - price.microdollars) <= 1800)
        #expect(price.cost(forSeconds: 3600) == price)
    }
}
