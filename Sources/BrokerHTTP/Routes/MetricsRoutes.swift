import Broker
import Hummingbird
import NodeAgent
import Prometheus

/// `GET /metrics`: every metric of the process in the Prometheus text format.
struct MetricsRoutes {
    let registry: PrometheusCollectorRegistry

    func register(on router: some RouterMethods<some RequestContext>) {
        // Which build is answering, as Prometheus' usual `*_build_info` gauge.
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "gridbroker", metricName: "build", unitName: "info",
                helpText: "The running build: 1, labelled with its version."),
            labels: [("version", BrokerVersion.current)]
        ).set(Int64(1))
        router.get("metrics") { _, _ in
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
    }
}
