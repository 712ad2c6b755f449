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

            var claim = try DirectStatement(
                """
                INSERT INTO event_keys (id, event_seq, received_at, expires_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET event_seq = excluded.event_seq, received_at = excluded.received_at,
                    expires_at = excluded.expires_at
                WHERE event_keys.expires_at <= ?
                RETURNING id
                """, db)
            var claimed = Set<String>()
            for key in batch.keys(eventSequences: sequences) {
                let id = try claim.fetchOne(key.id, key.eventSequence, key.receivedAtMs, key.expiresAtMs, batch.nowMs) {
                    $0.text(0)
                }
                if let id { claimed.insert(id) }
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
        var insertEvent = try DirectStatement(
            """
            INSERT INTO events (seq, id, type, occurred_at, received_at, source, data, attributes, trace_parent)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, db)
        for event in rows.events {
            try insertEvent.execute(
                event.sequence, event.id, event.type, event.occurredAtMs, event.receivedAtMs, event.source, event.data,
                event.attributes, event.traceParent)
        }
        var payloadSequences: [Int64] = []
        payloadSequences.reserveCapacity(rows.payloads.count)
        var insertPayload = try DirectStatement("INSERT INTO payloads (event_seq, format, body) VALUES (?, ?, ?)", db)
        for payload in rows.payloads {
            try insertPayload.execute(payload.eventSequence, payload.format, payload.body)
            payloadSequences.append(db.lastInsertedRowID)
        }
        var counts = DeliveryCounts()
        var insertDelivery = try DirectStatement(
            """
            INSERT INTO deliveries (id, endpoint_id, event_seq, payload_seq, event_id, event_type, status,
                next_attempt_at, created_at, note, next_trigger)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, db)
        for delivery in rows.deliveries {
            try insertDelivery.execute(
                delivery.id, delivery.endpointID, delivery.eventSequence, delivery.payloadIndex.map { payloadSequences[$0] },
                delivery.eventID, delivery.eventType, delivery.status.rawValue, delivery.nextAttemptAtMs,
                delivery.createdAtMs, delivery.note, delivery.trigger?.rawValue)
            counts.inserted(
                DeliveryCounts.key(endpointID: delivery.endpointID, createdAtMs: delivery.createdAtMs),
                status: delivery.status)
        }
        try counts.write(db)
    }
}
