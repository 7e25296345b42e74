import BrokerCore
import Foundation
import Testing

@Suite("What an owner machine's heartbeat means")
struct PoolMachineLedgerTests {
    typealias Ledger = PoolMachineLedger<String>
    typealias Orders = Ledger.Orders

    @Test("a launch is handed out until the machine reports the node; a stop until it no longer does")
    func launchAndStop() {
        var ledger = Ledger()
        ledger.launch("node_1", on: "m1", "spec 1")
        #expect(ledger.isBusy("m1") && !ledger.isBusy("m2"))
        let other = ledger.heartbeat("m2", nodes: [:])
        #expect(other == Orders(launches: [], stops: []), "another machine's launch")
        let first = ledger.heartbeat("m1", nodes: [:])
        let second = ledger.heartbeat("m1", nodes: [:])
        #expect(first.launches == ["spec 1"] && second.launches == ["spec 1"], "not reported yet: again")
        let reported = ledger.heartbeat("m1", nodes: ["node_1": true])
        #expect(reported == Orders(launches: [], stops: []))
        #expect(ledger.entries["node_1"]?.running == true)

        let known = ledger.terminate("node_1")
        let stop = ledger.heartbeat("m1", nodes: ["node_1": true])
        let ended = ledger.heartbeat("m1", nodes: ["node_1": false])
        #expect(known && stop.stops == ["node_1"] && ended == Orders(launches: [], stops: []))
        #expect(ledger.entries.isEmpty && !ledger.isBusy("m1"))
    }

    @Test("a launch never handed out is dropped at once; one handed out is stopped should it start")
    func terminateBeforeRunning() {
        var ledger = Ledger()
        ledger.launch("node_1", on: "m1", "spec 1")
        ledger.terminate("node_1")
        #expect(ledger.entries.isEmpty)

        ledger.launch("node_2", on: "m1", "spec 2")
        _ = ledger.heartbeat("m1", nodes: [:])
        ledger.terminate("node_2")
        let stop = ledger.heartbeat("m1", nodes: [:])
        #expect(stop == Orders(launches: [], stops: ["node_2"]))
        let ended = ledger.heartbeat("m1", nodes: ["node_2": false])
        #expect(ended.stops.isEmpty && ledger.entries.isEmpty)
        let unknown = ledger.terminate("node_9")
        #expect(!unknown)
    }

    @Test(
        "what the machine runs is the truth: unknown nodes are kept, vanished ones dropped, a node that ended is gone")
    func machineIsTheTruth() {
        var ledger = Ledger()
        let adopted = ledger.heartbeat("m1", nodes: ["node_7": true])
        #expect(adopted.launches.isEmpty && ledger.entries["node_7"]?.machine == "m1", "the broker restarted")
        _ = ledger.heartbeat("m1", nodes: [:])
        #expect(ledger.entries["node_7"] == nil, "no longer reported: gone")

        ledger.launch("node_8", on: "m1", "spec 8")
        _ = ledger.heartbeat("m1", nodes: ["node_8": true])
        _ = ledger.heartbeat("m1", nodes: ["node_8": false])
        #expect(ledger.entries["node_8"] == nil, "its command ended on the machine")

        ledger.launch("node_9", on: "m2", "spec 9")
        ledger.forget(machine: "m2")
        #expect(ledger.entries.isEmpty)
    }

    @Test("a machine taken back names its nodes once; lent again, it can be taken back again")
    func reclaimAndRelease() {
        var ledger = Ledger()
        ledger.launch("node_1", on: "m1", "spec 1")
        #expect(ledger.reclaim("m1") == ["node_1"])
        #expect(ledger.reclaim("m1").isEmpty, "its later heartbeats say it again")
        #expect(ledger.reclaimed == ["m1"])
        ledger.release("m1")
        #expect(ledger.reclaimed.isEmpty)
        #expect(ledger.reclaim("m1") == ["node_1"])
    }

    @Test("the ledger the brokers share through their database reads back as it was written")
    func storedAsJSON() throws {
        var ledger = Ledger()
        ledger.launch("node_1", on: "m1", "spec 1")
        ledger.launch("node_2", on: "m2", "spec 2")
        _ = ledger.heartbeat("m2", nodes: ["node_2": true])
        _ = ledger.terminate("node_2")
        _ = ledger.reclaim("m1")
        let read = try JSONDecoder().decode(Ledger.self, from: try JSONEncoder().encode(ledger))
        #expect(read == ledger)
    }
}
