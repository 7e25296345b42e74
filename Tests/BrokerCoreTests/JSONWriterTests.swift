import BrokerCore
import Foundation
import Testing

@Suite("JSONWriter: commas, exact dollars, escaped strings, RFC 3339 dates")
struct JSONWriterTests {
    private func written(_ write: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter()
        write(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test func nestsObjectsAndArraysWithCommasInTheRightPlaces() {
        let text = written { writer in
            writer.beginObject()
            writer.key("a")
            writer.array([1, 2, 3]) { $0.int($1) }
            writer.key("b")
            writer.beginObject()
            writer.endObject()
            writer.key("c")
            writer.array([[Int]]([[], [4]])) { writer, inner in writer.array(inner) { $0.int($1) } }
            writer.key("d")
            writer.optional(String?.none) { $0.string($1) }
            writer.key("e")
            writer.bool(true)
            writer.endObject()
        }
        #expect(text == #"{"a":[1,2,3],"b":{},"c":[[],[4]],"d":null,"e":true}"#)
    }

    @Test(arguments: [
        (Money(microdollars: 2_913_000), "2.913"), (Money(microdollars: 0), "0"), (Money(microdollars: 1), "0.000001"),
        (Money(microdollars: -1_500_000), "-1.5"), (Money(microdollars: 120_000_000), "120"),
        (Money(microdollars: 1_000_010), "1.00001"),
    ])
    func writesDollarsExactly(amount: Money, expected: String) {
        #expect(written { $0.dollars(amount) } == expected)
    }

    @Test func integersOfEverySize() {
        #expect(written { $0.integer(0) } == "0")
        #expect(written { $0.integer(-7) } == "-7")
        #expect(written { $0.integer(Int64.max) } == "\(Int64.max)")
        #expect(written { $0.integer(Int64.min) } == "\(Int64.min)")
        #expect(written { $0.integer(1_000_000) } == "1000000")
    }

    @Test func escapesWhatJSONNeedsAndKeepsTheRest() throws {
        let text = "quote \" backslash \\ newline \n tab \t bell \u{7} slash / Grüße 🚀"
        let json = written { $0.string(text) }
        #expect(json.contains(#"\u0007"#) && json.contains("/") && json.contains("Grüße 🚀"))
        let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
        #expect(decoded as? String == text)
    }

    @Test(arguments: [0, 2, -3, 0.987, 0.000001, 3.456, 1e20, 123_456_789.5])
    func writesDoublesAsTheAPIEncoderDoes(value: Double) throws {
        #expect(written { $0.double(value) } == String(decoding: try JSONEncoder().encode(value), as: UTF8.self))
    }

    @Test func takesJSONAlreadyWrittenAndStringsInParts() {
        let text = written { writer in
            writer.beginArray()
            writer.json(Array(#"{"k":[1]}"#.utf8))
            writer.string(#"pro"vider"#, ":", #"id\1"#)
            writer.json(Array("null".utf8))
            writer.endArray()
        }
        #expect(text == #"[{"k":[1]},"pro\"vider:id\\1",null]"#)
    }

    @Test func writesDatesAsTheAPIEncoderDoes() throws {
        let dates = [
            Date(timeIntervalSince1970: 1_795_000_000.75), Date(timeIntervalSince1970: 0),
            Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29
        ]
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        for date in dates {
            #expect(written { $0.date(date) } == String(decoding: try encoder.encode(date), as: UTF8.self))
        }
        // One writer, the same dates again and in turn: each written as itself.
        let again = dates + dates.reversed() + [dates[0], dates[0]]
        let all = written { writer in writer.array(again) { $0.date($1) } }
        #expect(all == String(decoding: try encoder.encode(again), as: UTF8.self))
    }
}
