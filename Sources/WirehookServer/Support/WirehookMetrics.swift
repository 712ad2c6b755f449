import Hummingbird
import Metrics
import NIOCore
import Prometheus

/// Prometheus as the process's swift-metrics backend, served on `GET /metrics` (admin token).
public enum WirehookMetrics {
    /// Installs the backend. swift-metrics allows this once per process, so the CLI calls it,
    /// not `WirehookApp.build` (tests build many apps in one process).
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }

    static func addRoute(to router: Router<BasicRequestContext>, registry: PrometheusCollectorRegistry) {
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}
