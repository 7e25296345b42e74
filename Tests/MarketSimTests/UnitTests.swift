import Testing

@testable import MarketSim

@Suite("Building blocks")
struct UnitTests {
    @Test("JSONWriter writes decimals like Python's json and escapes strings")
    func jsonWriter() {
        var json = JSONWriter()
        json.decimal(2)
        json.raw(" ")
        json.decimal(0.41234, fractionDigits: 4)
        json.raw(" ")
        json.decimal(-1.05, fractionDigits: 2)
        json.raw(" ")
        json.decimal(0.00005, fractionDigits: 4)
        json.raw(" ")
        json.decimal(12.3)
        json.raw(" ")
        json.int(-120)
        json.raw(" ")
        json.string("a\"b\\c\n\u{1}é")
        #expect(String(decoding: json.bytes, as: UTF8.self) == #"2.0 0.4123 -1.05 0.0001 12.3 -120 "a\"b\\c\n\u0001é""#)
    }

    @Test("timestamps round-trip through ISO 8601")
    func timestamps() {
        #expect(Timestamp.iso8601(1_795_273_331.25, milliseconds: true) == "2026-11-21T15:02:11.250Z")
        #expect(Timestamp.iso8601(0) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.parseISO8601("2026-11-21T15:02:11.000Z") == 1_795_273_331)
        #expect(Timestamp.parseISO8601("2026-11-21T16:02:11+01:00") == 1_795_273_331)
        #expect(Timestamp.parseISO8601("yesterday") == nil)
    }

    @Test("form decoding handles +, %XX and bare keys")
    func formDecoding() {
        let pairs = FormDecoding.pairs("Action=Describe&ProductDescription.1=Linux%2FUNIX+(Amazon+VPC)&flag&bad=%zz")
        #expect(pairs.map(\.key) == ["Action", "ProductDescription.1", "flag", "bad"])
        #expect(pairs.map(\.value) == ["Describe", "Linux/UNIX (Amazon VPC)", "", "%zz"])
    }

    @Test("EC2 filter wildcards")
    func glob() {
        #expect(AWSResponder.glob("p5*", "p5.48xlarge"))
        #expect(AWSResponder.glob("us-east-1?", "us-east-1a"))
        #expect(!AWSResponder.glob("g5.*", "g6.xlarge"))
        #expect(AWSResponder.glob("*", ""))
    }

    @Test("the GraphQL reader finds fields, aliases, arguments and nested selections")
    func graphQL() throws {
        let fields = try GraphQLSelectionParser.parse(
            """
            # pricing
            query GpuTypes($count: Int = 1) {
              gpuTypes(input: {id: "NVIDIA L4", ids: ["a", "b"]}) {
                id
                price: securePrice
                lowestPrice(input: {gpuCount: $count, secureCloud: true}) { stockStatus }
                ... on GpuType { displayName }
              }
            }
            """)
        #expect(fields.map(\.name) == ["gpuTypes"])
        let gpuTypes = fields[0]
        #expect(gpuTypes.selections.map(\.responseKey) == ["id", "price", "lowestPrice"])
        guard case .object(let input)? = gpuTypes.arguments["input"] else {
            Issue.record("input is not an object")
            return
        }
        #expect(input["id"]?.stringValue == "NVIDIA L4")
        let lowest = gpuTypes.selections[2]
        guard case .object(let lowestInput)? = lowest.arguments["input"] else {
            Issue.record("lowestPrice input is not an object")
            return
        }
        #expect(lowestInput["gpuCount"]?.resolved(["count": .number(4)]).intValue == 4)
        #expect(throws: GraphQLSyntaxError.self) { try GraphQLSelectionParser.parse("query { gpuTypes { id ") }
    }

    @Test("SplitMix64 is deterministic and its weighted draws follow the weights")
    func generator() {
        var a = SplitMix64(seed: 99)
        var b = SplitMix64(seed: 99)
        #expect((0..<5).map { _ in a.next() } == (0..<5).map { _ in b.next() })
        var random = SplitMix64(seed: 1)
        var counts = [0, 0]
        for _ in 0..<10_000 { counts[random.weightedIndex([1.0, 4.0])] += 1 }
        #expect((2_200...2_800).contains(counts[0]))
    }
}
