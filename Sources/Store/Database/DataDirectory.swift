import Foundation

/// The folder that holds the database.
public enum DataDirectory {
    /// Creates `path` (and its parents) if needed and proves it writable by creating and removing
    /// a file in it, so that a bad `data_dir` is reported before anything starts.
    public static func prepare(_ path: String) throws(StoreError) {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw StoreError.unusableDataDirectory(path: path, reason: "cannot be created: \(describe(error))")
        }
        let probe = (path as NSString).appendingPathComponent(".gridbroker-write-probe-\(getpid())")
        guard manager.createFile(atPath: probe, contents: Data()) else {
            throw StoreError.unusableDataDirectory(path: path, reason: "is not writable")
        }
        try? manager.removeItem(atPath: probe)
    }

    private static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return nsError.localizedDescription
    }
}
