import struct Foundation.Date

/// An endpoint whose health the recorded attempts changed, for the store to write and the
/// worker to log and count.
public struct HealthChange: Sendable, Equatable {
    public var endpointID: String
    public var health: EndpointHealth
    public var transitions: [HealthPolicy.Transition]

    public init(endpointID: String, health: EndpointHealth, transitions: [HealthPolicy.Transition]) {
        self.endpointID = endpointID
        self.health = health
        self.transitions = transitions
    }

    /// An admin enabled the endpoint: health starts afresh and the waiting deliveries are released.
    public static func resumed(endpointID: String, at date: Date) -> HealthChange {
        HealthChange(
            endpointID: endpointID, health: .reset(at: date),
            transitions: [HealthPolicy.Transition(from: .disabled, to: .healthy, reason: "enabled")])
    }

    /// The breaker opened or closed: the endpoint's waiting deliveries become due at once, in the
    /// order they were created, so a probe finds the oldest and a closed breaker drains in order.
    public var releasesBacklog: Bool {
        transitions.contains { $0.to == .paused || ($0.from != .failing && $0.to == .healthy) }
    }
}

extension HealthPolicy {
    /// Endpoints whose health could change with these records: any failure, or any result for
    /// an endpoint that is not healthy. A store locks only these.
    public func affected(by records: [AttemptRecord], current: [String: EndpointHealth]) -> [String] {
        var ids = Set<String>()
        for record in records where record.next != .delivered || current[record.endpointID]?.state != .healthy {
            ids.insert(record.endpointID)
        }
        return ids.sorted()
    }

    /// Applies the records, in order, to the endpoints' current health; only real changes return.
    public func changes(_ records: [AttemptRecord], current: [String: EndpointHealth]) -> [HealthChange] {
        var observations: [String: [Observation]] = [:]
        // One request is one observation: a Marzban batch of 50 that fails is one failure of the
        // endpoint, not 50.
        var seen = Set<Int64>()
        for record in records {
            let attempt = record.attempt
            guard seen.insert(record.requestSequence ?? record.deliverySequence).inserted else { continue }
            let failure: (status: Int?, error: String)? =
                record.next == .delivered
                ? nil : (attempt.responseStatus, attempt.error ?? attempt.responseStatus.map { "HTTP \($0)" } ?? "failed")
            observations[record.endpointID, default: []].append(
                Observation(at: attempt.attemptedAt, failure: failure, probe: attempt.trigger == .probe))
        }
        var changes: [HealthChange] = []
        for (endpointID, list) in observations.sorted(by: { $0.key < $1.key }) {
            guard let start = current[endpointID] else { continue }
            let (health, transitions) = apply(list.sorted { $0.at < $1.at }, to: start)
            if health != start {
                changes.append(HealthChange(endpointID: endpointID, health: health, transitions: transitions))
            }
        }
        return changes
    }
}
