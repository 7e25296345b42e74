#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Processes found by a variable in their environment, which every process they start inherits:
/// how an owner's machine makes sure a borrowed node is gone, command and all, whatever process
/// groups its processes made (Linux: `/proc/<pid>/environ`).
enum MarkedProcesses {
    /// The variable that marks a node's processes on an owner's machine.
    static let variable = "GRIDBROKER_HOST_NODE"

    /// Sends `signal` to every process whose environment has `variable=value`; returns how many.
    @discardableResult
    static func signal(_ signal: Int32, marked value: String) -> Int {
        let wanted = Array("\(variable)=\(value)".utf8)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return 0 }
        var count = 0
        for entry in entries {
            guard let pid = Int32(entry), pid != getpid(),
                let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ")
            else { continue }
            if environment.split(separator: 0).contains(where: { Array($0) == wanted }) {
                kill(pid, signal)
                count += 1
            }
        }
        return count
    }
}
