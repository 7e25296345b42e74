import Testing

@testable import NodeAgent

/// The command's output on its way to the broker: numbered lines, bounded batches, one in flight,
/// nothing lost on a failed send, and a bounded buffer that says what it dropped.
@Suite("LogBatcher")
struct LogBatcherTests {
    @Test("lines are numbered in order and sent in batches no bigger than the limit, one at a time")
    func batches() {
        var batcher = LogBatcher(maxBatchBytes: 200, maxBufferedBytes: 10_000)
        for index in 1...5 { batcher.append(String(repeating: "x", count: 40) + "\(index)", stream: .stdout) }
        let first = batcher.nextBatch()
        #expect(first?.map(\.seq) == [1, 2])  // 2 × (41 + 48) bytes fit in 200, a third does not
        #expect(batcher.nextBatch() == nil, "one batch in flight at a time")
        batcher.delivered()
        #expect(batcher.nextBatch()?.map(\.seq) == [3, 4])
        batcher.delivered()
        #expect(batcher.nextBatch()?.map(\.seq) == [5])
        batcher.delivered()
        #expect(batcher.isEmpty)
        #expect(batcher.nextBatch() == nil)
    }

    @Test("a batch that did not arrive is sent again, whole, with the same numbers")
    func failedBatchIsResent() {
        var batcher = LogBatcher(maxBatchBytes: 1_000)
        batcher.append("one", stream: .stdout)
        batcher.append("two", stream: .stderr)
        let sent = batcher.nextBatch()
        batcher.failed()
        batcher.append("three", stream: .stdout)
        let again = batcher.nextBatch()
        #expect(again?.prefix(2).map(\.seq) == sent?.map(\.seq))
        #expect(again?.map(\.text) == ["one", "two", "three"])
        #expect(again?.map(\.stream) == [.stdout, .stderr, .stdout])
    }

    @Test("a line longer than a batch still goes, alone")
    func oversizedLine() {
        var batcher = LogBatcher(maxBatchBytes: 64)
        batcher.append(String(repeating: "y", count: 500), stream: .stdout)
        batcher.append("next", stream: .stdout)
        #expect(batcher.nextBatch()?.count == 1)
    }

    @Test(
        "beyond the buffer the oldest waiting lines are dropped, never the batch in flight, and one line says how many")
    func dropsOldestAndSaysSo() {
        var batcher = LogBatcher(maxBatchBytes: 100, maxBufferedBytes: 500)
        batcher.append("in flight", stream: .stdout)
        let inFlight = batcher.nextBatch()
        #expect(inFlight?.map(\.seq) == [1])
        for index in 2...40 { batcher.append("line \(index)", stream: .stdout) }
        batcher.delivered()
        var received: [LogBatcher.Line] = []
        while let batch = batcher.nextBatch() {
            received += batch
            batcher.delivered()
        }
        guard let notice = received.first else {
            Issue.record("nothing was received")
            return
        }
        #expect(notice.stream == .stderr)
        #expect(notice.text.contains("line(s) of output dropped while the broker was unreachable"))
        let dropped = Int(notice.text.split(separator: " ")[1]) ?? 0
        #expect(dropped > 0)
        #expect(received.count - 1 + dropped == 39, "every line is either received or counted as dropped")
        #expect(received.last?.text == "line 40", "the newest lines are kept")
        #expect(received.map(\.seq) == received.map(\.seq).sorted(), "numbers stay in order")
    }
}

@Suite("LineSplitter and the shards file")
struct LineSplitterTests {
    @Test("bytes become lines at newlines, across reads; CR LF ends a line; the rest comes at the end")
    func splits() {
        var splitter = LineSplitter()
        #expect(splitter.feed(Array("first\r\nsec".utf8)) == ["first"])
        #expect(splitter.feed(Array("ond\n\nthi".utf8)) == ["second", ""])
        #expect(splitter.finish() == "thi")
        #expect(splitter.finish() == nil)
    }

    @Test("a line that never ends is cut at the limit; bytes that are not UTF-8 become U+FFFD")
    func cutsAndRepairs() {
        var splitter = LineSplitter(maxLineBytes: 4)
        #expect(splitter.feed(Array("abcdefghij".utf8)) == ["abcd", "efgh"])
        var broken = LineSplitter()
        #expect(broken.feed([0x61, 0xFF, 0x62, 0x0A]) == ["a\u{FFFD}b"])
    }

    @Test("a shard's line is its index, then a tab before each of its objects when it has some")
    func shardsFile() {
        #expect(ShardsFile.text([3, 7], objects: [:]) == "3\n7\n")
        #expect(
            ShardsFile.text([3, 7], objects: [3: ["s3://b/a", "s3://b/b"], 7: ["s3://b/c"]])
                == "3\ts3://b/a\ts3://b/b\n7\ts3://b/c\n")
        #expect(ShardsFile.text([], objects: [:]) == "")
    }
}
