import BrokerCore
import Foundation
import Testing

@Suite("The broker's recorded spot capacity as a trace a gang would have seen")
struct SpotTraceCapacityTests {
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    private func point(_ provider: String, _ region: String, _ nodes: Int, minute: Int) -> SpotCapacityPoint {
        SpotCapacityPoint(
            series: .init(provider: provider, gpu: "H100-SXM", gpuCount: 8, region: region), available: nodes,
            recordedAt: start.addingTimeInterval(Double(minute * 60)))
    }

    @Test("a gang of two has spot when the counts add up, in one region when it must stay together")
    func gangsCount() {
        let points = [
            point("aws", "a", 1, minute: 0), point("vast", "b", 1, minute: 1), point("aws", "a", 2, minute: 3),
            point("aws", "a", 0, minute: 4),
        ]
        let anywhere = SpotTrace(
            capacity: points, from: start, to: start.addingTimeInterval(300), tickSeconds: 60, gang: 2,
            sameRegion: false)
        #expect(anywhere.available == [false, true, true, true, false])
        let together = SpotTrace(
            capacity: points, from: start, to: start.addingTimeInterval(300), tickSeconds: 60, gang: 2,
            sameRegion: true)
        #expect(together.available == [false, false, false, true, false])
    }
}
