import BrokerCore
import Foundation
import Testing

@Suite("Neutral catalog queries answered by the offer book")
struct NeutralCatalogTests {
    private static let seen = Date(timeIntervalSince1970: 1_795_000_000)

    /// A catalog line; `gpus` 8 H100-SXMs, on demand, in eu-west-1 (IE) unless told otherwise.
    private static func line(
        _ provider: String, _ instanceType: String, _ price: String, gpu: String = "H100-SXM", gpus: Int = 8,
        region: String = "eu-west-1", country: String = "\"IE\"", spot: Bool = false
    ) -> String {
        #"{"provider":"\#(provider)","instance_type":"\#(instanceType)","gpu_name":"\#(gpu)","gpu_count":\#(gpus),"#
            + #""gpu_memory_gb":80,"vcpus":96,"memory_gb":1024,"disk_gb":2000,"region":"\#(region)","#
            + #""country":\#(country),"price_per_hour_usd":\#(price),"spot":\#(spot)}"#
    }

    /// Ties at 10.5 whose names a "provider:native" string or a space-joined key would misorder:
    /// "aws" before "aws-gov" ('-' sorts before ':'), "g8" before "g8-large", "eu" before "eu-west".
    private static let catalog = [
        line("aws-gov", "a", "10.5"),
        line("aws", "g8-large", "10.50"),
        line("aws", "g8", "10.5", region: "eu-west"),
        line("aws", "g8", "10.5", region: "eu"),
        line("lambda", "cheap-spot", "4.1", spot: true),
        line("lambda", "pcie", "2.2999", gpu: "H100-PCIe", gpus: 2, region: "us-east-1", country: "\"US\""),
        line("vast", "pcie-x", "0.3", gpu: "H100-PCIE", gpus: 1, region: "us-east-1", country: "\"US\""),
        line("vast", "voodoo", "0.01", gpu: "Voodoo5", gpus: 1, region: "somewhere", country: "null"),
    ].joined(separator: "\n")

    private static func answer(_ id: Int, _ price: String, _ provider: String, _ type: String, _ region: String)
        throws -> NeutralAnswer
    {
        NeutralAnswer(
            queryID: id,
            match: .init(price: try Money(parsing: price), provider: provider, instanceType: type, region: region))
    }

    @Test func answersFollowTheTieBreakAndEveryFilter() throws {
        let book = OfferBook(offers: try NeutralOffers.parse(Array(Self.catalog.utf8), seenAt: Self.seen))
        let queries = [
            #"{"id": 0, "gpu_name": "H100-SXM", "min_gpu_count": 8, "spot": false, "max_price": null, "region": null, "country": null}"#,
            #"{"id": 1, "gpu_name": "H100-SXM", "min_gpu_count": 8, "spot": false, "max_price": null, "region": "eu-west", "country": null}"#,
            #"{"id": 2, "gpu_name": "H100-SXM", "min_gpu_count": 8, "spot": false, "max_price": 10.4999, "region": null, "country": null}"#,
            #"{"id": 3, "gpu_name": "H100-SXM", "min_gpu_count": 1, "spot": true, "max_price": 4.1, "region": null, "country": "IE"}"#,
            #"{"id": 4, "gpu_name": "H100-PCIe", "min_gpu_count": 2, "spot": false, "max_price": 2.2999, "region": null, "country": "US"}"#,
            #"{"id": 5, "gpu_name": "H100-PCIE", "min_gpu_count": 1, "spot": false, "max_price": 0.3, "region": "us-east-1", "country": null}"#,
            #"{"id": 6, "gpu_name": "H100-SXM", "min_gpu_count": 16, "spot": false, "max_price": null, "region": null, "country": null}"#,
            #"{"id": 7, "gpu_name": "Voodoo5", "min_gpu_count": 1, "spot": false, "max_price": null, "region": null, "country": null}"#,
            #"{"id": 8, "gpu_name": "H100-SXM", "min_gpu_count": 1, "spot": true, "max_price": null, "region": null, "country": "US"}"#,
        ].joined(separator: "\n")
        let answers = try NeutralQuery.parse(Array(queries.utf8)).map { $0.answer(in: book) }
        #expect(
            answers == [
                try Self.answer(0, "10.5", "aws", "g8", "eu"),
                try Self.answer(1, "10.5", "aws", "g8", "eu-west"),
                NeutralAnswer(queryID: 2, match: nil),
                try Self.answer(3, "4.1", "lambda", "cheap-spot", "eu-west-1"),
                try Self.answer(4, "2.2999", "lambda", "pcie", "us-east-1"),
                try Self.answer(5, "0.3", "vast", "pcie-x", "us-east-1"),
                NeutralAnswer(queryID: 6, match: nil),
                try Self.answer(7, "0.01", "vast", "voodoo", "somewhere"),
                NeutralAnswer(queryID: 8, match: nil),
            ])
        #expect(
            answers[4].jsonLine
                == #"{"id": 4, "answer": {"price": 2.2999, "provider": "lambda", "instance_type": "pcie", "region": "us-east-1"}}"#
        )
        #expect(answers[2].jsonLine == #"{"id": 2, "answer": null}"#)
        let written = answers.map(\.jsonLine).joined(separator: "\n")
        #expect(try NeutralAnswer.parse(Array(written.utf8)) == answers)
    }

    @Test(
        arguments: [
            (#"{"provider":"aws""#, "line 3: malformed JSON at column 18: expected ',' or '}' in object"),
            (
                NeutralCatalogTests.line("aws", "g8", "\"10.5\""),
                "line 3: price_per_hour_usd: expected a number, got a string"
            ),
            (
                NeutralCatalogTests.line("aws", "g8", "1e1"),
                "line 3: price_per_hour_usd: must be a plain decimal number"
            ),
            (NeutralCatalogTests.line("aws", "g8", "10", gpus: 0), "line 3: gpu_count: must be at least 1"),
            (NeutralCatalogTests.line("aws:east", "g8", "10"), "line 3: provider: must not contain ':'"),
            (#"{"provider":"aws"}"#, "line 3: instance_type: is required"),
            (
                String(NeutralCatalogTests.line("aws", "g8", "10").dropLast()) + #","zone":"a"}"#,
                "line 3: zone: unknown field 'zone'"
            ),
            ("[1]", "line 3: expected an object, got an array"),
        ])
    func badLinesAreReportedByNumber(bad: String, message: String) {
        let text = Self.line("aws", "g8", "1") + "\n\n" + bad + "\n" + Self.line("aws", "g9", "1")
        #expect {
            try NeutralOffers.parse(Array(text.utf8), seenAt: Self.seen)
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }
}
