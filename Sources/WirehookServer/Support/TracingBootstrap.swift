import Logging
import OTel
import ServiceLifecycle
import Tracing
import WirehookCore

/// OpenTelemetry traces over OTLP/HTTP, switched on by the standard variables.
///
/// With neither `OTEL_EXPORTER_OTLP_ENDPOINT` nor `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` set,
/// nothing is installed: the process-wide tracer stays the no-op one and
/// `ServerConfiguration.tracing` stays false, so no span is started, no `traceparent` is stored
/// and no exporter runs. The other OTel variables (`OTEL_EXPORTER_OTLP_PROTOCOL`,
/// `OTEL_SERVICE_NAME`, `OTEL_BSP_SCHEDULE_DELAY`, `OTEL_TRACES_SAMPLER`, …) are read by swift-otel.
/// Only traces are exported: metrics stay on `/metrics` and logs on standard error.
public enum TracingBootstrap {
    public static func isRequested(_ environment: [String: String]) -> Bool {
        let endpoint = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"].contains {
            !(environment[$0] ?? "").isEmpty
        }
        return endpoint && environment["OTEL_SDK_DISABLED"]?.lowercased() != "true"
    }

    /// Installs the exporting tracer process-wide (once per process) and returns the service
    /// that exports its spans, to run for as long as the app; nil when tracing is not requested.
    public static func start(environment: [String: String], logger: Logger) throws(ConfigurationError)
        -> (any Service)?
    {
        guard isRequested(environment) else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "wirehook"
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        configuration.diagnosticLogger = .custom(logger)
        do {
            let (tracer, service) = try OTel.makeTracingBackend(configuration: configuration)
            InstrumentationSystem.bootstrap(tracer)
            return service
        } catch {
            throw ConfigurationError("tracing is configured but cannot start: \(error)")
        }
    }
}
