/// The result of `operation`, or nil when it has not finished within `limit` (it is then
/// cancelled). The connection pool waits for a server it cannot reach for as long as it is asked
/// to, so what must answer promptly (`/readyz`) asks through this.
func answer<Result: Sendable>(
    within limit: Duration, _ operation: @escaping @Sendable () async throws -> Result
) async throws -> Result? {
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        return try await group.next() ?? nil
    }
}
