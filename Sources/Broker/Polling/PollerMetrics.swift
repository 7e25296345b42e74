import BrokerCore
import Metrics

/// The poller's metrics for one provider, labelled `provider`.
struct PollerMetrics: Sendable {
    private let duration: Metrics.Timer
    private let offers: Gauge
    private let unknownGPUOffers: Gauge
    private let failures: Counter
    private let polls: Counter

    init(provider: String) {
        let dimensions = [("provider", provider)]
        duration = Metrics.Timer(label: "gridbroker_poll_duration_seconds", dimensions: dimensions)
        offers = Gauge(label: "gridbroker_provider_offers", dimensions: dimensions)
        unknownGPUOffers = Gauge(label: "gridbroker_provider_unknown_gpu_offers", dimensions: dimensions)
        failures = Counter(label: "gridbroker_poll_failures_total", dimensions: dimensions)
        polls = Counter(label: "gridbroker_polls_total", dimensions: dimensions)
    }

    func record(_ report: PollReport) {
        polls.increment()
        duration.recordNanoseconds(report.duration.nanoseconds)
        if report.error != nil {
            failures.increment()
        } else {
            offers.record(report.offers)
            unknownGPUOffers.record(report.unknownGPUOffers)
        }
    }
}
