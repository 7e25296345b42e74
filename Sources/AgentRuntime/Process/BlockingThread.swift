import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A thread of its own for work that blocks (reading a pipe, waiting for a process), so it never
/// holds one of the concurrency pool's few threads.
enum BlockingThread {
    static func start(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread, nil,
            { argument in
                guard let argument else { return nil }
                let body = Unmanaged<Body>.fromOpaque(argument).takeRetainedValue()
                body.run()
                return nil
            }, box)
        if status == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<Body>.fromOpaque(box).takeRetainedValue().run()
        }
    }

    private final class Body: Sendable {
        let run: @Sendable () -> Void

        init(_ run: @escaping @Sendable () -> Void) {
            self.run = run
        }
    }
}

/// When a process's end is reported: once it exited and its outputs were read to the end (or
/// reading them was given up), exactly once.
final class ProcessEnding: Sendable {
    private struct State {
        var readers: Int
        var code: Int32?
        var reported = false
    }

    private let state: Mutex<State>
    private let onExit: @Sendable (Int32) -> Void

    init(readers: Int, onExit: @escaping @Sendable (Int32) -> Void) {
        state = Mutex(State(readers: readers))
        self.onExit = onExit
    }

    func readerFinished() {
        report { $0.readers -= 1 }
    }

    func exited(code: Int32) {
        report { $0.code = code }
    }

    func giveUpOnOutput() {
        report { $0.readers = 0 }
    }

    private func report(_ change: (inout State) -> Void) {
        let code = state.withLock { state -> Int32? in
            change(&state)
            guard !state.reported, state.readers <= 0, let code = state.code else { return nil }
            state.reported = true
            return code
        }
        if let code { onExit(code) }
    }
}
