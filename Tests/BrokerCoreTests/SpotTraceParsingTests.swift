import Testing

@testable import BrokerCore

@Suite("Reading spot availability traces")
struct SpotTraceParsingTests {
    private func parse(_ text: String) throws(SpotTraceError) -> SpotTrace {
        try SpotTrace(json: Array(text.utf8), source: "zone.json")
    }

    @Test func readsGapAndAvailabilityCountingAnyInstanceAsAvailable() throws {
        let trace = try parse(#"{"metadata": {"gap_seconds": 195, "note": "x"}, "data": [0, 1, 3, 0]}"#)
        #expect(trace.tickSeconds == 195)
        #expect(trace.available == [false, true, true, false])
        #expect(trace.counts == [0, 1, 3, 0])
    }

    @Test(arguments: [
        (#"{"metadata": {"gap_seconds": 195}, "data": [0, 1"#, "malformed JSON"),
        (#"[0, 1]"#, "expected a JSON object"),
        (#"{"data": [0, 1]}"#, "missing field 'metadata'"),
        (#"{"metadata": {}, "data": [0, 1]}"#, "missing field 'metadata.gap_seconds'"),
        (#"{"metadata": {"gap_seconds": 0}, "data": [1]}"#, "'metadata.gap_seconds' must be a positive"),
        (#"{"metadata": {"gap_seconds": 1.5}, "data": [1]}"#, "'metadata.gap_seconds' must be a positive"),
        (#"{"metadata": {"gap_seconds": 195}}"#, "missing field 'data'"),
        (#"{"metadata": {"gap_seconds": 195}, "data": {}}"#, "'data' must be an array"),
        (#"{"metadata": {"gap_seconds": 195}, "data": [1, "x"]}"#, "'data[1]' must be a non-negative"),
        (#"{"metadata": {"gap_seconds": 195}, "data": [1, -1]}"#, "'data[1]' must be a non-negative"),
        (#"{"metadata": {"gap_seconds": 195}, "data": []}"#, "'data' is empty"),
    ])
    func rejectsBadTracesNamingTheFile(text: String, message: String) {
        #expect {
            try parse(text)
        } throws: { error in
            let description = "\(error)"
            return description.hasPrefix("zone.json: ") && description.contains(message)
        }
    }
}
