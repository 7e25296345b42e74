import ArgumentParser

/// A failure to report as one line on standard error, `gridbroker: <message>`, and a non-zero
/// exit: no stack trace, nothing half-started.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String

    init(_ message: String) {
        self.message = message
    }

    init(_ error: any Error) {
        self.message = "\(error)"
    }

    var description: String { message }
}

extension CommandFailure {
    /// Runs `body`, turning any error into a one-line ``CommandFailure``.
    static func reporting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(error)
        }
    }
}
