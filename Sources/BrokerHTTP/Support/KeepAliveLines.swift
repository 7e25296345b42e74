import Broker

/// A follower's lines merged with a tick every `interval`, so that a quiet stream still sends
/// something (proxies and the server's idle timeout close silent connections) and can notice its
/// job ended.
struct KeepAliveLines: AsyncSequence, Sendable {
    enum Item: Sendable {
        case line(NodeLogStore.Entry)
        case tick
    }

    let lines: AsyncStream<NodeLogStore.Entry>
    let interval: Duration

    func makeAsyncIterator() -> AsyncStream<Item>.Iterator {
        let (items, continuation) = AsyncStream.makeStream(of: Item.self)
        let lines = lines
        let interval = interval
        let pump = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await line in lines { continuation.yield(.line(line)) }
                    continuation.finish()
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        continuation.yield(.tick)
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
        continuation.onTermination = { _ in pump.cancel() }
        return items.makeAsyncIterator()
    }
}
