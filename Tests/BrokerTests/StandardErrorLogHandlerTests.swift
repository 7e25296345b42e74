import Broker
import Logging
import Synchronization
import Testing

@Suite struct StandardErrorLogHandlerTests {
    /// The lines a logger wrote.
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    func logger(level: Logger.Level, into lines: Lines) -> Logger {
        Logger(label: "gridbroker") { label in
            StandardErrorLogHandler(label: label, logLevel: level, metadataProvider: nil) { line in
                lines.lines.withLock { $0.append(line) }
            }
        }
    }

    @Test func writesStreamLogHandlersLineWithTheMetadataSortedAndTheCallsOwnWinning() throws {
        let lines = Lines()
        var logger = logger(level: .info, into: lines)
        logger[metadataKey: "token_id"] = "tok_1"
        logger[metadataKey: "hb.request.id"] = "7"
        logger[metadataKey: "token_id"] = "tok_2"
        logger.info("search answered", metadata: ["hb.request.id": "8", "offers": "50"])

        let line = try #require(lines.all.first)
        #expect(lines.all.count == 1)
        let afterTimestamp = line.drop { $0 != " " }
        #expect(
            afterTimestamp
                == " info gridbroker: hb.request.id=8 offers=50 token_id=tok_2 [BrokerTests] search answered\n")
        // `2026-12-07T08:14:03+0000`
        let timestamp = line.prefix { $0 != " " }
        #expect(timestamp.count == 24 && timestamp.dropFirst(10).first == "T")
    }

    @Test func writesNothingBelowItsLevelAndNamesAnError() {
        struct Refused: Error {}
        let lines = Lines()
        let logger = logger(level: .warning, into: lines)
        logger.info("not written")
        logger.debug("nor this")
        logger.error("launch failed", error: Refused())
        #expect(lines.all.count == 1)
        #expect(lines.all.first?.contains("error.message=Refused() error.type=") == true)
        #expect(lines.all.first?.hasSuffix("[BrokerTests] launch failed\n") == true)
    }
}
