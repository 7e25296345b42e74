import Hummingbird

/// `GET /healthz` (the process answers) and `GET /readyz` (the database is open and migrated).
struct HealthRoutes {
    /// Whether the database is open, migrated and answering.
    let isReady: @Sendable () async -> Bool

    struct Status: ResponseEncodable, Equatable {
        var status: String
    }

    func register(on router: some RouterMethods<some RequestContext>) {
        router.get("healthz") { _, _ in Status(status: "ok") }
        router.get("readyz") { _, _ -> Status in
            guard await isReady() else {
                throw ProblemDetails(status: .serviceUnavailable, detail: "the database is not open or not migrated")
            }
            return Status(status: "ready")
        }
    }
}
