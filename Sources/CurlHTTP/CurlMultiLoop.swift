import CCurl
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One `curl_multi` handle and the thread that owns it.
///
/// The thread owns the multi handle and every easy handle: it loops `curl_multi_perform` →
/// `curl_multi_info_read` → `curl_multi_poll`. Other threads only append commands under the lock
/// and call `curl_multi_wakeup` (also under the lock, so the handle cannot be cleaned up meanwhile).
final class CurlMultiLoop: @unchecked Sendable {
    enum Command {
        case add(Transfer)
        case cancel(Transfer)
        /// Answers with the number of transfers on the multi handle, after earlier commands ran.
        case countActive(CheckedContinuation<Int, Never>)
    }

    private enum RunState {
        case running
        case stopping
        case stopped
    }

    private struct Shared {
        var commands: [Command] = []
        var state = RunState.running
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let shared = Mutex(Shared())
    /// The `CURLM *`. Other threads use it only for `curl_multi_wakeup`, under `shared`'s lock.
    private let multi: UnsafeMutableRawPointer

    init(maxConnectionsPerHost: Int, maxTotalConnections: Int) {
        guard let multi = curl_multi_init() else {
            fatalError("curl_multi_init failed")
        }
        self.multi = multi
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, max(0, maxConnectionsPerHost))
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, max(0, maxTotalConnections))
        startThread()
    }

    // MARK: Any thread

    /// Queues a command and wakes the loop. Returns `false` once the loop is stopping.
    @discardableResult
    func enqueue(_ command: Command) -> Bool {
        shared.withLock { shared in
            guard case .running = shared.state else { return false }
            shared.commands.append(command)
            _ = curl_multi_wakeup(multi)
            return true
        }
    }

    /// Runs one attempt on the loop.
    func perform(_ spec: TransferSpec) async throws -> HTTPResponse {
        let transfer = Transfer(spec: spec)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: Transfer.Continuation) in
                guard transfer.begin(continuation) else {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                if !enqueue(.add(transfer)) {
                    transfer.finish(.failure(CurlHTTPError.clientShutDown))
                }
            }
        } onCancel: {
            transfer.cancel(on: self)
        }
    }

    /// Asks the loop to stop without waiting: in-flight transfers fail with `clientShutDown`.
    func requestStop() {
        shared.withLock { shared in
            guard case .running = shared.state else { return }
            shared.state = .stopping
            _ = curl_multi_wakeup(multi)
        }
    }

    /// Stops the loop and waits until the thread has freed every handle.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let stopped = shared.withLock { shared in
                switch shared.state {
                case .stopped:
                    return true
                case .running:
                    shared.state = .stopping
                    _ = curl_multi_wakeup(multi)
                case .stopping:
                    break
                }
                shared.stopWaiters.append(continuation)
                return false
            }
            if stopped {
                continuation.resume()
            }
        }
    }

    /// The number of transfers on the multi handle once the commands queued so far have run.
    func activeTransferCount() async -> Int {
        await withCheckedContinuation { continuation in
            if !enqueue(.countActive(continuation)) {
                continuation.resume(returning: 0)
            }
        }
    }

    // MARK: Loop thread

    private func startThread() {
        let context = Unmanaged.passRetained(self).toOpaque()
        #if canImport(Darwin)
            var thread: pthread_t?
        #else
            var thread = pthread_t()
        #endif
        let result = pthread_create(
            &thread, nil,
            { context in
                #if canImport(Darwin)
                    let loop = Unmanaged<CurlMultiLoop>.fromOpaque(context).takeRetainedValue()
                #else
                    let loop = Unmanaged<CurlMultiLoop>.fromOpaque(context!).takeRetainedValue()
                #endif
                loop.run()
                return nil
            }, context)
        guard result == 0 else {
            fatalError("pthread_create failed: \(result)")
        }
        #if canImport(Darwin)
            pthread_detach(thread!)
        #else
            pthread_detach(thread)
        #endif
    }

    private func run() {
        var active: [ObjectIdentifier: Transfer] = [:]
        while true {
            let (commands, stopping) = shared.withLock { shared in
                let commands = shared.commands
                shared.commands = []
                if case .running = shared.state { return (commands, false) }
                return (commands, true)
            }
            for command in commands {
                switch command {
                case .add(let transfer):
                    if start(transfer) {
                        active[ObjectIdentifier(transfer)] = transfer
                    }
                case .cancel(let transfer):
                    if active.removeValue(forKey: ObjectIdentifier(transfer)) != nil {
                        release(transfer)
                        transfer.finish(.failure(CancellationError()))
                    }
                case .countActive(let continuation):
                    continuation.resume(returning: active.count)
                }
            }
            if stopping {
                break
            }
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            collectFinished(&active)
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)
        }

        for transfer in active.values {
            release(transfer)
            transfer.finish(.failure(CurlHTTPError.clientShutDown))
        }
        active.removeAll()
        let (leftovers, waiters) = shared.withLock { shared in
            shared.state = .stopped
            defer {
                shared.commands = []
                shared.stopWaiters = []
            }
            return (shared.commands, shared.stopWaiters)
        }
        for command in leftovers {
            switch command {
            case .add(let transfer):
                transfer.finish(.failure(CurlHTTPError.clientShutDown))
            case .cancel:
                break
            case .countActive(let continuation):
                continuation.resume(returning: 0)
            }
        }
        curl_multi_cleanup(multi)
        for waiter in waiters {
            waiter.resume()
        }
    }

    /// Creates and configures the easy handle and adds it to the multi handle. On failure the
    /// transfer is finished with the error and `false` is returned.
    private func start(_ transfer: Transfer) -> Bool {
        guard !transfer.isFinished else { return false }
        guard let easy = curl_easy_init() else {
            transfer.finish(.failure(CurlHTTPError.transport(code: -1, message: "curl_easy_init failed")))
            return false
        }
        transfer.easy = easy
        do {
            try EasyHandleSetup.configure(easy, for: transfer)
        } catch {
            release(transfer, attached: false)
            transfer.finish(.failure(error))
            return false
        }
        let code = curl_multi_add_handle(multi, easy)
        guard code == CURLM_OK else {
            release(transfer, attached: false)
            let message = String(cString: curl_multi_strerror(code))
            transfer.finish(.failure(CurlHTTPError.transport(code: Int(code.rawValue), message: message)))
            return false
        }
        return true
    }

    /// Removes the transfer's easy handle from the multi handle and frees its libcurl resources.
    private func release(_ transfer: Transfer, attached: Bool = true) {
        if let easy = transfer.easy {
            if attached {
                _ = curl_multi_remove_handle(multi, easy)
            }
            curl_easy_cleanup(easy)
            transfer.easy = nil
        }
        if let list = transfer.headerList {
            curl_slist_free_all(list)
            transfer.headerList = nil
        }
    }

    private func collectFinished(_ active: inout [ObjectIdentifier: Transfer]) {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = ccurl_msg_result(message)
            var context: UnsafeMutableRawPointer?
            _ = ccurl_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &context)
            guard let context else { continue }
            let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
            guard active.removeValue(forKey: ObjectIdentifier(transfer)) != nil else { continue }

            let result: Result<HTTPResponse, any Error>
            if code == CURLE_OK {
                var status = 0
                _ = ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
                result = .success(HTTPResponse(status: status, headers: transfer.headers, body: transfer.body))
            } else {
                let error = CurlHTTPError.from(
                    code: code,
                    message: transfer.errorMessage,
                    limit: transfer.spec.maxResponseBytes,
                    exceededLimit: transfer.exceededLimit
                )
                result = .failure(error)
            }
            release(transfer)
            transfer.finish(result)
        }
    }
}
