import struct Foundation.Date

/// How an endpoint's receiver has been doing, as the worker saw it; `HealthPolicy` moves it.
///
/// `disabled` is also what an endpoint an admin switched off shows, with no stored reason.
public struct EndpointHealth: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        /// The last attempt succeeded (or there was none).
        case healthy
        /// The last attempt failed; the endpoint gets one request at a time until one succeeds.
        case failing
        /// The circuit breaker is open: only a probe is sent, at `nextProbeAt`.
        case paused
        /// Nothing is sent; pending deliveries wait until the endpoint is enabled again.
        case disabled
    }

    public var state: State
    public var reason: String?
    public var consecutiveFailures: Int
    /// When the current state began.
    public var since: Date?
    public var nextProbeAt: Date?
    /// The first failure with no success after it, for the auto-disable window.
    public var failingSince: Date?
    /// Probes that failed since the breaker opened; picks the wait before the next one.
    public var failedProbes: Int

    public init(
        state: State = .healthy, reason: String? = nil, consecutiveFailures: Int = 0, since: Date? = nil,
        nextProbeAt: Date? = nil, failingSince: Date? = nil, failedProbes: Int = 0
    ) {
        self.state = state
        self.reason = reason
        self.consecutiveFailures = consecutiveFailures
        self.since = since
        self.nextProbeAt = nextProbeAt
        self.failingSince = failingSince
        self.failedProbes = failedProbes
    }

    public static let healthy = EndpointHealth()

    /// A fresh start, e.g. when an admin enables the endpoint again.
    public static func reset(at date: Date) -> EndpointHealth { EndpointHealth(since: date) }
}
