import NodeAgent

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads the command's progress file, keeping the last good read when the file is missing or
/// half-written.
public struct ProgressFileReader {
    public let path: String
    public private(set) var lastGood = AgentProgress()

    public init(path: String) {
        self.path = path
    }

    /// Reads the file and returns the newest progress it could make sense of.
    public mutating func read() -> AgentProgress {
        if let bytes = FileManager.default.contents(atPath: path), let progress = AgentProgress.parse(bytes) {
            lastGood = progress
        }
        return lastGood
    }
}
