import Foundation
import NodeAgent

/// Reads the command's progress file, keeping the last good read when the file is missing or
/// half-written.
struct ProgressFileReader {
    let path: String
    private(set) var lastGood = AgentProgress()

    init(path: String) {
        self.path = path
    }

    /// Reads the file and returns the newest progress it could make sense of.
    mutating func read() -> AgentProgress {
        if let bytes = FileManager.default.contents(atPath: path), let progress = AgentProgress.parse(bytes) {
            lastGood = progress
        }
        return lastGood
    }
}
