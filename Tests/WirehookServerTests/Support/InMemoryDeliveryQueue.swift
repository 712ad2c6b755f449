import Foundation
import WirehookCore

/// A `DeliveryQueue` in memory, following the same Core rules as the real stores (`ClaimPlan`,
/// `AttemptColumns`), so the worker can be tested without a database.
actor InMemoryDeliveryQueue: DeliveryQueue, StoreMaintenance {
    struct Entry: Sendable {
        var claim: ClaimedDelivery
        var status: Delivery.Status
        var nextAttemptAt: Date
        var owner: String?
        var attempts: [Attempt]
    }

    private(set) var entries: [Int64: Entry] = [:]
    private(set) var healths: [String: EndpointHealth] = [:]
    private var nextSequence: Int64 = 1
    private(set) var claimCalls = 0

    @discardableResult
    func add(endpoint: Endpoint, eventID: String, eventType: String, body: [UInt8], due: Date) -> Int64 {
        let sequence = nextSequence
        nextSequence += 1
        if healths[endpoint.id] == nil { healths[endpoint.id] = endpoint.health }
        entries[sequence] = Entry(
            claim: ClaimedDelivery(
                sequence: sequence, id: Identifier.make(prefix: "del_"), endpointID: endpoint.id, url: endpoint.url,
                format: endpoint.format, secret: endpoint.secret, endpointOptions: endpoint.options, eventID: eventID,
                eventType: eventType, occurredAt: due, attempts: 0, createdAt: due, body: body),
            status: .pending, nextAttemptAt: due, owner: nil, attempts: [])
        return sequence
    }

    func entry(_ sequence: Int64) -> Entry? { entries[sequence] }

    var unfinished: Int { entries.values.filter { $0.status == .pending }.count }

    func claimDue(_ request: ClaimRequest) async throws -> [ClaimedDelivery] {
        claimCalls += 1
        var formats: [String: String] = [:]
        for entry in entries.values { formats[entry.claim.endpointID] = entry.claim.format }
        var plan = ClaimPlan(
            request: request,
            endpoints: healths.map {
                ClaimPlan.Standing(
                    id: $0.key, active: $0.value.state != .disabled, health: $0.value, format: formats[$0.key] ?? "")
            })
        for id in plan.probeCandidates { healths[id]?.nextProbeAt = request.leaseUntil }
        plan.grantProbes(Set(plan.probeCandidates))
        var candidates: [ClaimPlan.Candidate] = []
        for scan in plan.endpointScans() {
            candidates += entries.values
                .filter { $0.claim.endpointID == scan.endpointID && $0.status == .pending && $0.nextAttemptAt <= request.now }
                .sorted { ($0.nextAttemptAt, $0.claim.sequence) < ($1.nextAttemptAt, $1.claim.sequence) }
                .prefix(scan.limit)
                .map {
                    ClaimPlan.Candidate(
                        sequence: $0.claim.sequence, endpointID: $0.claim.endpointID, format: $0.claim.format,
                        dueAtMs: Timestamp.milliseconds($0.nextAttemptAt))
                }
        }
        for sequence in plan.take(candidates) {
            entries[sequence]?.nextAttemptAt = request.leaseUntil
            entries[sequence]?.owner = request.owner
        }
        return plan.taken.compactMap { sequence in
            guard var claim = entries[sequence]?.claim else { return nil }
            if plan.probes.contains(sequence) { claim.trigger = .probe }
            return claim
        }
    }

    @discardableResult
    func record(_ results: [AttemptRecord], health policy: HealthPolicy) async throws -> [HealthChange] {
        for result in results {
            guard var entry = entries[result.deliverySequence], entry.status == .pending else { continue }
            let columns = AttemptColumns(result)
            entry.attempts.append(result.attempt)
            entry.claim.attempts += 1
            entry.status = columns.status
            entry.owner = nil
            if let next = columns.nextAttemptAtMs { entry.nextAttemptAt = Timestamp.date(milliseconds: next) }
            entry.claim.scheduledAttempts += Int(columns.scheduleIncrement)
            entry.claim.trigger = .schedule
            entries[result.deliverySequence] = entry
        }
        let changes = policy.changes(results, current: healths)
        for change in changes {
            healths[change.endpointID] = change.health
            if change.releasesBacklog { release(change.endpointID) }
        }
        return changes
    }

    private func release(_ endpointID: String) {
        for (sequence, entry) in entries where entry.claim.endpointID == endpointID && entry.status == .pending && entry.owner == nil {
            entries[sequence]?.nextAttemptAt = entry.claim.createdAt
        }
    }

    func resume(endpointID: String, at date: Date) async throws {
        healths[endpointID] = .reset(at: date)
        release(endpointID)
    }

    func requeue(_ requeue: Requeue) async throws -> Int {
        var count = 0
        for (sequence, entry) in entries where entry.claim.endpointID == requeue.endpointID
            && (requeue.deliveryID == nil || entry.claim.id == requeue.deliveryID)
            && (requeue.status == nil || entry.status == requeue.status)
        {
            entries[sequence]?.status = .pending
            entries[sequence]?.nextAttemptAt = requeue.now
            entries[sequence]?.claim.trigger = .manual
            entries[sequence]?.claim.scheduledAttempts = 0
            count += 1
        }
        return count
    }

    func releaseLeases(owner: String?) async throws {
        for (sequence, entry) in entries where entry.owner != nil && (owner == nil || entry.owner == owner) {
            entries[sequence]?.owner = nil
            entries[sequence]?.nextAttemptAt = Date()
        }
    }

    func extendLeases(_ sequences: [Int64], until: Date, owner: String) async throws {
        for sequence in sequences where entries[sequence]?.owner == owner && entries[sequence]?.status == .pending {
            entries[sequence]?.nextAttemptAt = until
        }
    }

    /// Memory always answers.
    func ping() async throws {}

    /// Nothing here outlives the test.
    func purge(olderThan cutoff: Date, keysExpiredBefore: Date, batchSize: Int) async throws -> Int { 0 }

    func nextDueAt() async throws -> Date? {
        entries.values.filter { $0.status == .pending }.map(\.nextAttemptAt).min()
    }
}
