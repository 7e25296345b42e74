import Foundation

/// The processes of one simulated node, found by the variable every one of them inherits
/// (`GRIDBROKER_SIM_NODE=<key>`), however they detached (`setsid`, a new process group): a machine
/// that is taken back takes everything running on it.
enum ProcessTree {
    static let marker = "GRIDBROKER_SIM_NODE"

    /// The processes whose environment holds the marker for `key`.
    static func processes(of key: String) -> [pid_t] {
        let needle = Array("\(marker)=\(key)\0".utf8)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), pid != getpid(),
                let environment = FileManager.default.contents(atPath: "/proc/\(entry)/environ")
            else { return nil }
            // Variables are NUL-terminated: one starts at 0 or after a NUL.
            let bytes = Array(environment)
            guard bytes.count >= needle.count else { return nil }
            let found = (0...(bytes.count - needle.count)).contains { start in
                (start == 0 || bytes[start - 1] == 0) && bytes[start..<start + needle.count].elementsEqual(needle)
            }
            return found ? pid : nil
        }
    }

    /// Sends `signal` to every process of node `key`; returns how many there were.
    @discardableResult
    static func signal(_ key: String, _ signal: Int32) -> Int {
        let pids = processes(of: key)
        for pid in pids { kill(pid, signal) }
        return pids.count
    }
}
