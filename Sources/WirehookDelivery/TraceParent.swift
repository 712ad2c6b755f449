import Tracing

/// A span context as a W3C `traceparent` string and back, so a delivery attempt, made later and
/// perhaps by another process, joins the trace of the request that brought its event in.
public enum TraceParent {
    /// The `traceparent` of `context` as the installed tracer writes it (nil when it writes none).
    public static func of(_ context: ServiceContext) -> String? {
        var carrier: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &carrier, using: Carrier())
        return carrier["traceparent"]
    }

    /// A context whose span is the one `traceParent` names.
    public static func context(_ traceParent: String) -> ServiceContext {
        var context = ServiceContext.topLevel
        InstrumentationSystem.instrument.extract(["traceparent": traceParent], into: &context, using: Carrier())
        return context
    }

    struct Carrier: Injector, Extractor {
        func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
        func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
    }
}
