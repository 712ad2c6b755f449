import Hummingbird
import Metrics
import NIOCore
import Prometheus
import WirehookCore

/// Prometheus as the process's swift-metrics backend, served on `GET /metrics` (admin token).
public enum WirehookMetrics {
    /// Installs the backend. swift-metrics allows this once per process, so the CLI calls it,
    /// not `WirehookApp.build` (tests build many apps in one process).
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }

    /// `endpoints`: read at each scrape, so the gauge of endpoints by health is the shared
    /// database's truth, whichever process recorded the changes.
    static func addRoute(
        to router: some RouterMethods<BasicRequestContext>, registry: PrometheusCollectorRegistry,
        endpoints: @escaping @Sendable () async throws -> [Endpoint]
    ) {
        let gauges = Dictionary(
            uniqueKeysWithValues: EndpointHealth.State.allCases.map {
                ($0, registry.makeGauge(name: "wirehook_endpoints", labels: [("health", $0.rawValue)]))
            })
        router.get("/metrics") { _, _ in
            if let list = try? await withTimeout(.seconds(2), endpoints) {
                var counts: [EndpointHealth.State: Int] = [:]
                for endpoint in list { counts[endpoint.visibleHealth.state, default: 0] += 1 }
                for (state, gauge) in gauges { gauge.set(Double(counts[state, default: 0])) }
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}
