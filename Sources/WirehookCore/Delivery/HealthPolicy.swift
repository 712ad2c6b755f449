import struct Foundation.Date

/// The rules that move an endpoint between healthy, failing, paused and disabled, and how much
/// work each state may take. Both stores apply them inside the transaction that records attempts,
/// so every process sees one breaker per endpoint.
public struct HealthPolicy: Sendable, Equatable {
    /// Consecutive failed attempts that open the breaker; 0 turns it off.
    public var breakerThreshold: Int
    /// No success for this long while attempts keep failing disables the endpoint; nil turns it off.
    public var disableAfter: Duration?
    /// Waits between probes while paused (the retry schedule's); the last repeats.
    public var probeWaits: [Duration]

    public init(breakerThreshold: Int = 10, disableAfter: Duration? = .seconds(5 * 86_400), probeWaits: [Duration]) {
        self.breakerThreshold = max(0, breakerThreshold)
        self.disableAfter = disableAfter
        self.probeWaits = probeWaits.isEmpty ? [.seconds(60)] : probeWaits
    }

    /// One attempt's result, as far as the endpoint's health is concerned.
    public struct Observation: Sendable {
        public var at: Date
        /// nil for a success; otherwise the status (nil for no answer) and the error text.
        public var failure: (status: Int?, error: String)?
        public var probe: Bool

        public init(at: Date, failure: (status: Int?, error: String)?, probe: Bool) {
            self.at = at
            self.failure = failure
            self.probe = probe
        }
    }

    /// A change worth a log line and a metric.
    public struct Transition: Sendable, Equatable {
        public var from: EndpointHealth.State
        public var to: EndpointHealth.State
        public var reason: String?

        public init(from: EndpointHealth.State, to: EndpointHealth.State, reason: String?) {
            self.from = from
            self.to = to
            self.reason = reason
        }
    }

    /// The health after these observations, in the order they happened, and the changes made.
    public func apply(_ observations: [Observation], to start: EndpointHealth) -> (EndpointHealth, [Transition]) {
        var health = start
        var transitions: [Transition] = []
        func move(to state: EndpointHealth.State, at date: Date, reason: String?) {
            if health.state != state { transitions.append(Transition(from: health.state, to: state, reason: reason)) }
            if health.state != state { health.since = date }
            health.state = state
            health.reason = reason
        }
        for observation in observations {
            // Results still in flight when the endpoint was disabled change nothing.
            if health.state == .disabled { break }
            guard let failure = observation.failure else {
                move(to: .healthy, at: observation.at, reason: nil)
                health.consecutiveFailures = 0
                health.failingSince = nil
                health.nextProbeAt = nil
                health.failedProbes = 0
                continue
            }
            health.consecutiveFailures = health.consecutiveFailures == Int.max ? Int.max : health.consecutiveFailures + 1
            let failingSince = health.failingSince ?? observation.at
            health.failingSince = failingSince
            if failure.status == 410 {
                health.nextProbeAt = nil
                move(
                    to: .disabled, at: observation.at,
                    reason: "the receiver answered 410 Gone at \(Timestamp.iso8601(observation.at))")
            } else if let window = disableAfter, observation.at.timeIntervalSince(failingSince) >= window.timeInterval {
                health.nextProbeAt = nil
                move(
                    to: .disabled, at: observation.at,
                    reason: "no successful attempt since \(Timestamp.iso8601(failingSince)) "
                        + "(WIREHOOK_DISABLE_AFTER=\(DurationText.format(window))); last error: \(failure.error)")
            } else if health.state == .paused {
                // Only a failed probe pushes the next one further out; late results of attempts
                // sent before the breaker opened do not.
                if observation.probe {
                    health.failedProbes = min(health.failedProbes + 1, probeWaits.count)
                    health.nextProbeAt = observation.at.addingTimeInterval(probeWait(after: health.failedProbes).timeInterval)
                }
            } else if breakerThreshold > 0, health.consecutiveFailures >= breakerThreshold {
                health.failedProbes = 0
                health.nextProbeAt = observation.at.addingTimeInterval(probeWait(after: 0).timeInterval)
                move(
                    to: .paused, at: observation.at,
                    reason: "\(health.consecutiveFailures) consecutive failed attempts; last error: \(failure.error)")
            } else {
                move(to: .failing, at: observation.at, reason: failure.error)
            }
        }
        return (health, transitions)
    }

    /// The wait before the next probe after `failedProbes` failed ones: the retry schedule's, growing.
    func probeWait(after failedProbes: Int) -> Duration { probeWaits[min(max(failedProbes, 0), probeWaits.count - 1)] }

    /// How many requests this endpoint may have in flight from one worker.
    public enum Allowance: Sendable, Equatable {
        /// The worker's usual per-endpoint cap.
        case usual
        /// One at a time: the endpoint failed several times in a row, so a burst would only fail
        /// together.
        case one
        /// One probe, if this process wins the probe slot.
        case probe
        case none
    }

    /// Consecutive failures after which a failing endpoint gets one request at a time; a single
    /// failure among successes (one bad payload) does not slow the endpoint down.
    static let slowStartAfter = 3

    public func allowance(active: Bool, health: EndpointHealth, now: Date) -> Allowance {
        guard active else { return .none }
        switch health.state {
        case .healthy: return .usual
        case .failing: return health.consecutiveFailures >= Self.slowStartAfter ? .one : .usual
        case .paused: return (health.nextProbeAt.map { $0 <= now } ?? true) ? .probe : .none
        case .disabled: return .none
        }
    }
}
