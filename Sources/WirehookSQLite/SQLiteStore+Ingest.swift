import Foundation
import GRDB
import WirehookCore

extension SQLiteStore: IngestStore {
    public func ingest(
        _ events: [NewEvent], now: Date, plan: @Sendable (NewEvent, [Endpoint]) -> DeliveryPlan
    ) async throws -> [IngestOutcome] {
        let batch = IngestBatch(events, now: now)
        let secrets = self.secrets
        return try await pool.write { db in
            let endpoints = try Self.allEndpoints(db, secrets: secrets)
            // SQLite's nextval: AUTOINCREMENT records the highest seq ever used and never reuses it.
            let last =
                try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM sqlite_sequence WHERE name = 'events'")) ?? 0
            let sequences = (0..<Int64(batch.eventCount)).map { last + 1 + $0 }

            let claim = try db.cachedStatement(
                sql: """
                    INSERT INTO event_keys (id, event_seq, received_at, expires_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET event_seq = excluded.event_seq, received_at = excluded.received_at,
                        expires_at = excluded.expires_at
                    WHERE event_keys.expires_at <= ?
                    RETURNING id
                    """)
            var claimed = Set<String>()
            for key in batch.keys(eventSequences: sequences) {
                let arguments: StatementArguments = [
                    key.id, key.eventSequence, key.receivedAtMs, key.expiresAtMs, batch.nowMs,
                ]
                if let id = try String.fetchOne(claim, arguments: arguments) { claimed.insert(id) }
            }
            let rows = batch.rows(claimed: claimed, eventSequences: sequences, endpoints: endpoints, plan: plan)

            let countStored = try db.cachedStatement(
                sql: """
                    SELECT COUNT(*) FROM deliveries d JOIN event_keys k ON d.event_seq = k.event_seq
                    WHERE k.id = ? AND d.status != 'skipped'
                    """)
            var counts: [String: Int] = [:]
            for id in batch.unclaimedIDs(rows) { counts[id] = try Int.fetchOne(countStored, arguments: [id]) ?? 0 }

            try Self.insert(rows, db)
            return batch.outcomes(rows, storedDeliveryCounts: counts)
        }
    }

    private static func insert(_ rows: IngestRows, _ db: Database) throws {
        let insertEvent = try db.cachedStatement(
            sql: """
                INSERT INTO events (seq, id, type, occurred_at, received_at, source, data, attributes, trace_parent)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for event in rows.events {
            try insertEvent.execute(arguments: [
                event.sequence, event.id, event.type, event.occurredAtMs, event.receivedAtMs, event.source,
                Data(event.data), Data(event.attributes), event.traceParent,
            ])
        }
        let insertPayload = try db.cachedStatement(
            sql: "INSERT INTO payloads (event_seq, format, body) VALUES (?, ?, ?)")
        var payloadSequences: [Int64] = []
        payloadSequences.reserveCapacity(rows.payloads.count)
        for payload in rows.payloads {
            try insertPayload.execute(arguments: [payload.eventSequence, payload.format, Data(payload.body)])
            payloadSequences.append(db.lastInsertedRowID)
        }
        let insertDelivery = try db.cachedStatement(
            sql: """
                INSERT INTO deliveries (id, endpoint_id, event_seq, payload_seq, event_id, event_type, status,
                    next_attempt_at, created_at, note, next_trigger)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        var counts = DeliveryCounts()
        for delivery in rows.deliveries {
            try insertDelivery.execute(arguments: [
                delivery.id, delivery.endpointID, delivery.eventSequence, delivery.payloadIndex.map { payloadSequences[$0] },
                delivery.eventID, delivery.eventType, delivery.status.rawValue, delivery.nextAttemptAtMs,
                delivery.createdAtMs, delivery.note, delivery.trigger?.rawValue,
            ])
            counts.inserted(
                DeliveryCounts.key(endpointID: delivery.endpointID, createdAtMs: delivery.createdAtMs),
                status: delivery.status)
        }
        try counts.write(db)
    }
}
