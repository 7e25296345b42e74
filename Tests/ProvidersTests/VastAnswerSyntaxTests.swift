import BrokerCore
import Foundation
import Providers
import Testing

/// The Vast parser reads JSON with its own scanner (for speed): these check it against the JSON
/// syntax it must accept and the corruption it must refuse.
@Suite("Vast.ai answer syntax")
struct VastAnswerSyntaxTests {
    private let now = Date(timeIntervalSince1970: 1_767_225_600)

    private func parse(_ json: String) throws(ProviderError) -> PricingSnapshot {
        try VastPricingSource.parse(Array(json.utf8), providerID: "vast", catalog: .standard, now: now)
    }

    @Test("escapes in strings are decoded; ignored fields may nest and hold any JSON")
    func escapesAndNesting() throws {
        let snapshot = try parse(
            #"""
            { "note": "a \"quoted\" \\ value \u00e9 \/",
              "offers": [ {
                "search": {"a": [1, {"b": null, "c": [true, false, -0.5e+3]}], "d": "}]"},
                "id": 12,
                "gpu_name": "RTX\u00204090",
                "cpu_name": "say \"hi\"\\",
                "num_gpus": 1,
                "gpu_ram": 2.4564E4,
                "dph_total": 4.011e-1,
                "geolocation": "Montr\u00e9al, CA",
                "emoji": "\ud83d\ude80"
              } ],
              "total": 1 }
            """#)
        #expect(snapshot.skipped.isEmpty)
        let offer = try #require(snapshot.offers.first)
        #expect(snapshot.offers.count == 1)
        #expect(offer.id.native == "12")
        #expect(offer.gpu.name == "RTX4090")
        #expect(offer.gpuMemoryGB == 24)
        #expect(offer.pricePerHour == Money(microdollars: 401_100))
        #expect(offer.region == "Montréal, CA")
        #expect(offer.country == "CA")
    }

    @Test("an offers member of null, or none at all, is a missing offers list")
    func missingOffers() {
        #expect(throws: ProviderError.malformed("missing 'offers'")) { try parse(#"{"offers": null}"#) }
        #expect(throws: ProviderError.malformed("missing 'offers'")) { try parse("{}") }
    }

    @Test(
        "corrupt JSON is malformed",
        arguments: [
            #"{"offers": [{"id": 1, "gpu_name": "RTX 4090}]}"#,
            #"{"offers": [{"id": 1, "rentable": tru}]}"#,
            #"{"offers": [{"id": 1,}]}"#,
            #"{"offers": [{"id" 1}]}"#,
            #"{"offers": []} x"#,
            #"{"offers": [{"id": 1, "gpu_name": "bad \x escape"}]}"#,
            #"{"offers": [{"id": 1, "dph_total": 0.}]}"#,
            #"{"offers": [{"id": 1, "dph_total": -}]}"#,
            #"{"offers": [{"id": 1, "gpu_name": "\u12"}]}"#,
            #"{"offers": [{"id": 1}"#,
            #"{"offers": [{"id": 1, "x": "abc"#,
            #"{"offers": [1 2]}"#,
            "nonsense",
        ])
    func corrupt(json: String) {
        #expect(throws: ProviderError.malformed("not valid JSON (cut off or corrupt)")) { try parse(json) }
    }

    @Test("a record that is not an object is skipped, its neighbours kept")
    func nonObjectRecords() throws {
        let snapshot = try parse(
            #"{"offers": [null, "x", [1], {"id": 5, "gpu_name": "L4", "num_gpus": 1, "dph_total": 0.4}]}"#)
        #expect(snapshot.offers.map(\.id.native) == ["5"])
        #expect(snapshot.skipped.count == 3)
        #expect(snapshot.skipped.allSatisfy { $0 == SkippedRecord(nativeID: nil, reason: "record is not an object") })
    }

    @Test("records that are not rentable give no offer and are not counted as skipped")
    func notRentable() throws {
        let snapshot = try parse(
            #"{"offers": [{"id": 5, "gpu_name": "L4", "num_gpus": 1, "dph_total": 0.4, "rentable": false}]}"#)
        #expect(snapshot == PricingSnapshot(offers: [], skipped: []))
    }
}
