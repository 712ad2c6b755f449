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
    private var nextSequence: Int64 = 1
    private(set) var claimCalls = 0

    @discardableResult
    func add(endpoint: Endpoint, eventID: String, eventType: String, body: [UInt8], due: Date) -> Int64 {
        let sequence = nextSequence
        nextSequence += 1
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
        var plan = ClaimPlan(request: request)
        while let scan = plan.nextScan() {
            let excluded = Set(scan.excluding)
            let due = entries.values
                .filter { $0.status == .pending && $0.nextAttemptAt <= request.now && !excluded.contains($0.claim.endpointID) }
                .sorted { ($0.nextAttemptAt, $0.claim.sequence) < ($1.nextAttemptAt, $1.claim.sequence) }
                .prefix(scan.limit)
                .map { ClaimPlan.Candidate(sequence: $0.claim.sequence, endpointID: $0.claim.endpointID, format: $0.claim.format) }
            for sequence in plan.take(Array(due)) {
                entries[sequence]?.nextAttemptAt = request.leaseUntil
                entries[sequence]?.owner = request.owner
            }
        }
        return plan.taken.compactMap { entries[$0]?.claim }
    }

    func record(_ results: [AttemptRecord]) async throws {
        for result in results {
            guard var entry = entries[result.deliverySequence], entry.status == .pending else { continue }
            let columns = AttemptColumns(result)
            entry.attempts.append(result.attempt)
            entry.claim.attempts += 1
            entry.status = columns.status
            entry.owner = nil
            if let next = columns.nextAttemptAtMs { entry.nextAttemptAt = Timestamp.date(milliseconds: next) }
            entries[result.deliverySequence] = entry
        }
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
    func purge(olderThan cutoff: Date, keysBefore: Date, batchSize: Int) async throws -> Int { 0 }

    func nextDueAt() async throws -> Date? {
        entries.values.filter { $0.status == .pending }.map(\.nextAttemptAt).min()
    }
}
