import BrokerCore
import Metrics

/// The counters of the scheduler, the reconciler and the accountant, recorded from their pass
/// reports (Prometheus names, through whatever `MetricsSystem` the process bootstrapped).
struct FleetMetrics: Sendable {
    private let schedulerPasses = Counter(label: "gridbroker_scheduler_passes_total")
    private let placed = Counter(label: "gridbroker_jobs_placed_total")
    private let started = Counter(label: "gridbroker_jobs_started_total")
    private let released = Counter(label: "gridbroker_gangs_released_total")
    private let resumed = Counter(label: "gridbroker_jobs_resumed_total")
    private let expired = Counter(label: "gridbroker_jobs_expired_total")
    private let waiting = Gauge(label: "gridbroker_jobs_waiting")
    private let stoppedOnBudget = Counter(label: "gridbroker_jobs_stopped_on_budget_total")

    func record(_ pass: SchedulingPass) {
        schedulerPasses.increment()
        placed.increment(by: pass.placed.count)
        started.increment(by: pass.started.count)
        released.increment(by: pass.released.count)
        resumed.increment(by: pass.resumed.count)
        expired.increment(by: pass.expired.count)
        waiting.record(pass.waiting.count)
    }

    /// One counter per provider, action and outcome: `gridbroker_reconcile_actions_total`.
    func record(_ pass: ReconcilePass) {
        for (provider, taken) in pass.actions {
            for action in taken {
                Counter(
                    label: "gridbroker_reconcile_actions_total",
                    dimensions: [
                        ("provider", provider), ("action", Self.name(of: action.action)),
                        ("outcome", action.error == nil ? "ok" : "error"),
                    ]
                ).increment()
            }
        }
        for provider in pass.unreachable.keys {
            Counter(label: "gridbroker_reconcile_unreachable_total", dimensions: [("provider", provider)]).increment()
        }
    }

    func recordStoppedOnBudget(_ count: Int) {
        stoppedOnBudget.increment(by: count)
    }

    static func name(of action: ReconcileAction) -> String {
        switch action {
        case .terminateOrphan: "terminate_orphan"
        case .adopt: "adopt"
        case .failUnlaunched: "fail_unlaunched"
        case .noteInstanceRunning: "note_instance_running"
        case .noteMissing: "note_missing"
        case .markVanished: "mark_vanished"
        case .terminateAgain: "terminate_again"
        case .confirmTerminated: "confirm_terminated"
        }
    }
}
