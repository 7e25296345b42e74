import BrokerCore
import Testing

/// A dataset manifest: JSON lines of objects, read strictly (the bad line named), cut into shards
/// in order, balanced by bytes.
@Suite("Dataset manifests")
struct DatasetManifestTests {
    private func manifest(_ text: String) throws(DatasetManifestError) -> DatasetManifest {
        try DatasetManifest(parsing: Array(text.utf8))
    }

    @Test("objects are read in order; blank lines, CR LF and members the broker does not use are fine")
    func reads() throws {
        let read = try manifest(
            """
            {"uri": "s3://b/0", "bytes": 10, "sha256": "ab"}\r

            {"bytes": 0, "uri": "s3://b/1"}
            """)
        #expect(read.objects == [.init(uri: "s3://b/0", bytes: 10), .init(uri: "s3://b/1", bytes: 0)])
    }

    @Test(
        "each bad line is named by its number and what is wrong",
        arguments: [
            ("{\"uri\": \"a\", \"bytes\": 1}\nnot json", "line 2: not JSON"),
            ("[1, 2]", "line 1: not an object: an array"),
            ("{\"bytes\": 1}", "line 1: uri is required"),
            ("{\"uri\": \"a\"}", "line 1: bytes is required"),
            ("{\"uri\": \"a\", \"bytes\": -1}", "line 1: bytes must be a whole number of at least 0"),
            ("{\"uri\": \"a\", \"bytes\": 1.5}", "line 1: bytes must be a whole number of at least 0"),
            ("{\"uri\": \"a\", \"bytes\": \"1\"}", "line 1: bytes must be a number, not a string"),
            ("{\"uri\": 7, \"bytes\": 1}", "line 1: uri must be a string, not a number"),
            ("{\"uri\": \"a\\tb\", \"bytes\": 1}", "line 1: uri must be a non-empty text without tabs"),
            ("\n\n", "it lists no object"),
        ])
    func refuses(text: String, message: String) {
        #expect {
            _ = try manifest(text)
        } throws: { error in
            (error as? DatasetManifestError)?.description.hasPrefix(message) == true
        }
    }

    @Test("shards are runs of consecutive objects, about equal in bytes, each with at least one object")
    func splitsByBytes() throws {
        let objects = [100, 100, 100, 100, 400, 50, 50, 100].enumerated().map {
            DatasetManifest.Object(uri: "o\($0.offset)", bytes: Int64($0.element))
        }
        let shards = try DatasetManifest(objects: objects).shards(3)
        // Cuts where the running total crosses 1/3 and 2/3 of 1000 bytes: 400, 400 and 200.
        #expect(shards == [["o0", "o1", "o2", "o3"], ["o4"], ["o5", "o6", "o7"]])
        #expect(shards.flatMap { $0 } == objects.map(\.uri), "every object once, in order")
    }

    @Test("as many shards as objects gives one each; zero-byte objects still spread; too few objects is refused")
    func edges() throws {
        let four = (0..<4).map { DatasetManifest.Object(uri: "o\($0)", bytes: 0) }
        #expect(try DatasetManifest(objects: four).shards(4) == [["o0"], ["o1"], ["o2"], ["o3"]])
        #expect(try DatasetManifest(objects: four).shards(2).map(\.count).allSatisfy { $0 >= 1 })
        #expect(try DatasetManifest(objects: four).shards(1) == [["o0", "o1", "o2", "o3"]])
        #expect(throws: DatasetManifestError.self) { try DatasetManifest(objects: four).shards(5) }
    }

    @Test("many random manifests: every split keeps order, fills every shard, and no shard is far over its share")
    func randomSplits() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let count = Int.random(in: 1...300, using: &generator)
            let objects = (0..<count).map {
                DatasetManifest.Object(uri: "o\($0)", bytes: Int64.random(in: 0...1_000, using: &generator))
            }
            let shardCount = Int.random(in: 1...count, using: &generator)
            let shards = try DatasetManifest(objects: objects).shards(shardCount)
            #expect(shards.count == shardCount)
            #expect(shards.allSatisfy { !$0.isEmpty })
            #expect(shards.flatMap { $0 } == objects.map(\.uri))
            let total = objects.reduce(Int64(0)) { $0 + $1.bytes }
            let largest = objects.map(\.bytes).max() ?? 0
            let bytes = Dictionary(uniqueKeysWithValues: objects.map { ($0.uri, $0.bytes) })
            for shard in shards {
                // A cut comes as soon as a shard's share is reached: at most one object over it.
                let size = shard.reduce(Int64(0)) { $0 + (bytes[$1] ?? 0) }
                #expect(size <= total / Int64(shardCount) + 2 * largest)
            }
        }
    }
}

@Suite("Node log lines as stored")
struct NodeLogLineTests {
    @Test("a line round-trips through its stored form, text with spaces and tabs included")
    func roundTrip() {
        let line = NodeLogLine(stamp: 1_795_000_000_123_456, seq: 42, stream: .stderr, text: "a  b\tc")
        #expect(line.stored == "1795000000123456 42 e a  b\tc\n")
        #expect(NodeLogLine(stored: line.stored.dropLast()) == line)
        #expect(NodeLogLine(stored: "1 2 o") == NodeLogLine(stamp: 1, seq: 2, stream: .stdout, text: ""))
        #expect(NodeLogLine(stored: "x 2 o text") == nil)
        #expect(NodeLogLine(stored: "1 2 z text") == nil)
    }

    @Test("line breaks and control characters never reach the file; long text is cut")
    func sanitized() {
        #expect(NodeLogLine.sanitized("a\nb\rc\u{1B}[31md\te") == "a b c [31md\te")
        #expect(NodeLogLine.sanitized(String(repeating: "é", count: 10), maxBytes: 5) == "éé")
    }
}
