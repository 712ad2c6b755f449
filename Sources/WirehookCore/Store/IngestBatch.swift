import struct Foundation.Date

/// The rules of one ingest transaction, shared by every store: which submissions are repeats,
/// which idempotency keys to claim, the rows to write, and what to answer.
///
/// A store runs it in four steps inside one transaction: reserve `eventCount` event sequence
/// numbers; insert `keys(eventSequences:)` into its unique key table, keeping a stored key unless
/// it expired at or before `nowMs`, and report the ids it inserted; write
/// `rows(claimed:…)`; answer `outcomes(…)`. The unique key, not a read before the write, is what
/// makes two processes given the same id at once accept it once.
public struct IngestBatch: Sendable {
    /// One row of the idempotency key table.
    public struct Key: Sendable, Equatable {
        public var id: String
        public var eventSequence: Int64
        public var receivedAtMs: Int64
        /// Until then a resend of the id is a duplicate (`Idempotency.window`, or the
        /// submission's own window).
        public var expiresAtMs: Int64
    }

    public let now: Date
    public let nowMs: Int64
    let submissions: [NewEvent]
    /// For each submission, the index of the first submission in the batch with the same id.
    let firstIndex: [Int]
    /// The first occurrences, in submission order; event sequence `i` belongs to `firsts[i]`.
    let firsts: [Int]

    public init(_ submissions: [NewEvent], now: Date) {
        self.submissions = submissions
        self.now = now
        nowMs = Timestamp.milliseconds(now)
        var seen: [String: Int] = [:]
        var firstIndex: [Int] = []
        var firsts: [Int] = []
        firstIndex.reserveCapacity(submissions.count)
        for (index, submission) in submissions.enumerated() {
            if submission.redelivery {
                firstIndex.append(index)
                firsts.append(index)
            } else if let first = seen[submission.event.id] {
                firstIndex.append(first)
            } else {
                seen[submission.event.id] = index
                firstIndex.append(index)
                firsts.append(index)
            }
        }
        self.firstIndex = firstIndex
        self.firsts = firsts
    }

    /// How many event sequence numbers to reserve: one per distinct id.
    public var eventCount: Int { firsts.count }

    /// The keys to claim, sorted by id so that concurrent transactions lock rows in one order and
    /// cannot deadlock.
    public func keys(eventSequences: [Int64]) -> [Key] {
        precondition(eventSequences.count == firsts.count, "one sequence per distinct event id")
        return zip(firsts, eventSequences)
            .filter { !submissions[$0.0].redelivery }
            .map { index, sequence in
                let window = submissions[index].idempotencyWindow ?? Idempotency.window
                let (expires, overflow) = nowMs.addingReportingOverflow(Int64(window.milliseconds))
                return Key(
                    id: submissions[index].event.id, eventSequence: sequence, receivedAtMs: nowMs,
                    expiresAtMs: overflow ? Int64.max : expires)
            }
            .sorted { $0.id < $1.id }
    }

    /// Rows for the events whose key this transaction claimed: the event, one payload per
    /// distinct body, and one delivery per planned endpoint (skipped when it has no body).
    public func rows(
        claimed: Set<String>, eventSequences: [Int64], endpoints: [Endpoint],
        plan: (NewEvent, [Endpoint]) -> DeliveryPlan
    ) -> IngestRows {
        var rows = IngestRows()
        var randomness = IdentifierRandomness()
        for (index, eventSequence) in zip(firsts, eventSequences) {
            let submission = submissions[index]
            let event = submission.event
            guard submission.redelivery || claimed.contains(event.id) else { continue }
            rows.events.append(
                IngestRows.EventRow(
                    sequence: eventSequence, id: event.id, type: event.type,
                    occurredAtMs: Timestamp.milliseconds(event.occurredAt), receivedAtMs: nowMs, source: event.source,
                    data: submission.encoded?.data ?? JSONWriter.serialize(event.data),
                    attributes: submission.encoded?.attributes ?? JSONWriter.serialize(event.attributes),
                    traceParent: submission.traceParent))
            let planned = plan(submission, endpoints)
            let firstPayload = rows.payloads.count
            for body in planned.bodies {
                rows.payloads.append(
                    IngestRows.PayloadRow(eventSequence: eventSequence, format: body.format, body: body.bytes))
            }
            var ids: [String] = []
            var sendable = 0
            for item in planned.items {
                let id = Identifier.make(prefix: "del_", at: now, using: &randomness)
                ids.append(id)
                let payloadIndex = item.bodyIndex.map { firstPayload + $0 }
                if payloadIndex != nil { sendable += 1 }
                rows.deliveries.append(
                    IngestRows.DeliveryRow(
                        id: id, endpointID: item.endpointID, eventSequence: eventSequence, payloadIndex: payloadIndex,
                        eventID: event.id, eventType: event.type,
                        status: payloadIndex == nil ? .skipped : .pending,
                        nextAttemptAtMs: payloadIndex == nil ? nil : (item.dueAt.map(Timestamp.milliseconds) ?? nowMs),
                        createdAtMs: nowMs, note: item.note, trigger: submission.redelivery ? .manual : nil))
            }
            rows.accepted[index] = IngestOutcome(eventID: event.id, deliveries: sendable, duplicate: false, deliveryIDs: ids)
        }
        return rows
    }

    /// Ids whose key another transaction holds: the store reports their stored delivery counts.
    public func unclaimedIDs(_ rows: IngestRows) -> [String] {
        firsts.filter { !submissions[$0].redelivery && rows.accepted[$0] == nil }.map { submissions[$0].event.id }
    }

    /// One answer per submission, in order. A repeat inside the batch, like a repeat of a stored
    /// id, is a duplicate carrying the first one's delivery count.
    public func outcomes(_ rows: IngestRows, storedDeliveryCounts: [String: Int]) -> [IngestOutcome] {
        submissions.indices.map { index in
            let id = submissions[index].event.id
            let first = firstIndex[index]
            if first == index, let accepted = rows.accepted[index] { return accepted }
            let count = rows.accepted[first]?.deliveries ?? storedDeliveryCounts[id] ?? 0
            return IngestOutcome(eventID: id, deliveries: count, duplicate: true)
        }
    }
}
