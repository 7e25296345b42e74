import Synchronization

/// A sleep that can be cut short: a service loop waits on it between passes, and a request for a
/// pass now ("poll now", a submitted job, a cancel) fires it.
///
/// One waiter at a time (the service's loop). A fire with no one waiting is remembered, so a
/// request that arrives during a poll starts the next one at once.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var cancelled = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Wakes the waiter now, or the next one to wait.
    func fire() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns after `duration`, on ``fire()``, or when the task is cancelled, whichever is first.
    func wait(upTo duration: Duration) async {
        let firedAlready = state.withLock { state in
            defer { state.pending = false }
            return state.pending
        }
        if firedAlready { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: duration) }
            group.addTask { await self.waitForFire() }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForFire() async {
        state.withLock { $0.cancelled = false }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending || state.cancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                state.cancelled = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
