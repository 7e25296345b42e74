import BrokerCore
import Foundation
import Testing

@Suite("Resuming a migrating job: the replaced nodes go, the timeline says what was lost")
struct JobResumptionTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("each rank keeps its newest node; older ones still serving are replaced, ended ones left alone")
    func replacedNodes() {
        let nodes: [(id: String, rank: Int, state: NodeState)] = [
            ("a", 0, .failed), ("b", 1, .preempting), ("c", 2, .running), ("d", 0, .running), ("e", 1, .running),
        ]
        let resumption = JobResumption(nodes: nodes, checkpointURI: nil, checkpointAt: nil, now: now)
        #expect(resumption.replaced == ["b"])
        #expect(CurrentGang.of(nodes, rank: \.rank).map(\.id) == ["d", "e", "c"])
    }

    @Test("the reason names the checkpoint resumed from and the seconds of work lost, or a restart")
    func reason() {
        let fromCheckpoint = JobResumption(
            nodes: [], checkpointURI: "s3://ckpt/7", checkpointAt: now.addingTimeInterval(-600), now: now)
        #expect(fromCheckpoint.reason == "every rank runs again; resumed from s3://ckpt/7, 600 s of work lost")
        let fromScratch = JobResumption(nodes: [], checkpointURI: nil, checkpointAt: nil, now: now)
        #expect(fromScratch.reason == "every rank runs again; no checkpoint was reported: the work restarts")
    }
}
