import Metrics
import WirehookCore

/// The worker's metrics, made once: creating a swift-metrics handle asks the backend's registry
/// (behind a lock) each time, which has no place on the per-attempt path.
struct WorkerMetrics: Sendable {
    let attemptsSucceeded = Counter(label: "wirehook_delivery_attempts_total", dimensions: [("outcome", "success")])
    let attemptsFailed = Counter(label: "wirehook_delivery_attempts_total", dimensions: [("outcome", "failure")])
    let latency = Metrics.Timer(label: "wirehook_delivery_latency_seconds")
    let delivered = Counter(label: "wirehook_deliveries_finished_total", dimensions: [("status", "success")])
    let failed = Counter(label: "wirehook_deliveries_finished_total", dimensions: [("status", "failed")])
    let retriesScheduled = Counter(label: "wirehook_delivery_retries_scheduled_total")
    let requestsInFlight = Gauge(label: "wirehook_delivery_requests_in_flight")
    /// Health changes this process recorded, by the state entered (a breaker opening is `paused`).
    let healthTransitions: [EndpointHealth.State: Counter] = Dictionary(
        uniqueKeysWithValues: EndpointHealth.State.allCases.map {
            ($0, Counter(label: "wirehook_endpoint_health_transitions_total", dimensions: [("to", $0.rawValue)]))
        })

    func recordAttempt(_ outcome: SendOutcome, deliveries: Int) {
        (outcome.isSuccess ? attemptsSucceeded : attemptsFailed).increment(by: deliveries)
        latency.recordMilliseconds(outcome.latencyMs)
    }

    func recordHealthTransition(to state: EndpointHealth.State) {
        healthTransitions[state]?.increment()
    }

    func recordNext(_ next: AttemptRecord.Next) {
        switch next {
        case .delivered: delivered.increment()
        case .failed: failed.increment()
        case .retry: retriesScheduled.increment()
        }
    }
}
