import Foundation
import NIOCore
import PostgresNIO
import WirehookCore

extension PostgresStore: DeliveryQueue {
    public func claimDue(_ request: ClaimRequest) async throws -> [ClaimedDelivery] {
        let nowMs = Timestamp.milliseconds(request.now)
        let leaseMs = Timestamp.milliseconds(request.leaseUntil)
        let logger = self.logger
        return try await client.withTransaction(logger: logger) { connection in
            var plan = ClaimPlan(request: request)
            while let scan = plan.nextScan() {
                let rows = try await connection.query(
                    PostgresQueries.query(PostgresQueries.dueDeliveries) {
                        $0.append(nowMs)
                        $0.append(scan.excluding)
                        $0.append(Int64(scan.limit))
                    }, logger: logger)
                var candidates: [ClaimPlan.Candidate] = []
                for try await (seq, endpointID, format) in rows.decode((Int64, String, String).self) {
                    candidates.append(.init(sequence: seq, endpointID: endpointID, format: format))
                }
                let round = plan.take(candidates)
                if !round.isEmpty {
                    // Leasing moves next_attempt_at to the lease deadline, so the row stops being due.
                    try await connection.query(
                        """
                        UPDATE deliveries SET next_attempt_at = \(leaseMs), lease_owner = \(request.owner)
                        WHERE seq = ANY(\(round))
                        """, logger: logger)
                }
            }
            guard !plan.taken.isEmpty else { return [] }
            let rows = try await connection.query(
                """
                SELECT d.seq, d.id, d.endpoint_id, e.url, e.format, e.secret, e.options, d.event_id, d.event_type,
                    ev.occurred_at, d.attempts, d.created_at, p.body
                FROM deliveries d
                JOIN endpoints e ON e.id = d.endpoint_id
                JOIN events ev ON ev.seq = d.event_seq
                JOIN payloads p ON p.seq = d.payload_seq
                WHERE d.seq = ANY(\(plan.taken))
                ORDER BY d.seq
                """, logger: logger)
            var claimed: [ClaimedDelivery] = []
            for try await row in rows {
                let r = row.makeRandomAccess()
                claimed.append(
                    ClaimedDelivery(
                        sequence: try r["seq"].decode(Int64.self), id: try r["id"].decode(String.self),
                        endpointID: try r["endpoint_id"].decode(String.self), url: try r["url"].decode(String.self),
                        format: try r["format"].decode(String.self), secret: try r["secret"].decode(String.self),
                        optionsText: try r["options"].decode(String.self), eventID: try r["event_id"].decode(String.self),
                        eventType: try r["event_type"].decode(String.self),
                        occurredAtMs: try r["occurred_at"].decode(Int64.self),
                        attempts: Int64(try r["attempts"].decode(Int32.self)),
                        createdAtMs: try r["created_at"].decode(Int64.self),
                        body: Array(try r["body"].decode(ByteBuffer.self).readableBytesView)))
            }
            return claimed
        }
    }

    public func record(_ results: [AttemptRecord]) async throws {
        guard !results.isEmpty else { return }
        // Column arrays for UNNEST; -1 and '' stand for NULL.
        var seqs: [Int64] = []
        var attempted: [Int64] = []
        var statuses: [Int64] = []
        var latencies: [Int64] = []
        var errors: [String] = []
        var bodies: [ByteBuffer] = []
        var states: [String] = []
        var nexts: [Int64] = []
        var delivered: [Int64] = []
        for result in results {
            let c = AttemptColumns(result)
            seqs.append(c.deliverySequence)
            attempted.append(c.attemptedAtMs)
            statuses.append(c.responseStatus ?? -1)
            latencies.append(c.responseTimeMs)
            errors.append(c.error ?? "")
            bodies.append(ByteBuffer(bytes: c.responseBody))
            states.append(c.status.rawValue)
            nexts.append(c.nextAttemptAtMs ?? -1)
            delivered.append(c.deliveredAtMs ?? -1)
        }
        let logger = self.logger
        try await client.withTransaction(logger: logger) { connection in
            // The endpoint (and its deliveries) may have been deleted while the attempt ran.
            try await connection.query(
                """
                INSERT INTO attempts (delivery_seq, attempted_at, response_status, response_time_ms, error, response_body)
                SELECT s, a, NULLIF(st, -1)::INT, l::INT, NULLIF(er, ''), b
                FROM UNNEST(\(seqs)::BIGINT[], \(attempted)::BIGINT[], \(statuses)::BIGINT[], \(latencies)::BIGINT[],
                    \(errors)::TEXT[], \(bodies)::BYTEA[]) AS t(s, a, st, l, er, b)
                WHERE EXISTS (SELECT 1 FROM deliveries d WHERE d.seq = t.s)
                """, logger: logger)
            try await connection.query(
                """
                UPDATE deliveries d SET attempts = d.attempts + 1, status = t.state, next_attempt_at = NULLIF(t.next, -1),
                    lease_owner = NULL, response_status = NULLIF(t.st, -1)::INT, response_time_ms = t.l::INT,
                    last_attempt_at = t.a, delivered_at = COALESCE(NULLIF(t.dv, -1), d.delivered_at), note = NULLIF(t.er, '')
                FROM UNNEST(\(seqs)::BIGINT[], \(states)::TEXT[], \(nexts)::BIGINT[], \(statuses)::BIGINT[],
                    \(latencies)::BIGINT[], \(attempted)::BIGINT[], \(delivered)::BIGINT[], \(errors)::TEXT[])
                    AS t(s, state, next, st, l, a, dv, er)
                WHERE d.seq = t.s AND d.status = 'pending'
                """, logger: logger)
        }
    }

    public func extendLeases(_ sequences: [Int64], until: Date, owner: String) async throws {
        guard !sequences.isEmpty else { return }
        try await client.query(
            """
            UPDATE deliveries SET next_attempt_at = \(Timestamp.milliseconds(until))
            WHERE lease_owner = \(owner) AND status = 'pending' AND seq = ANY(\(sequences))
            """, logger: logger)
    }

    public func releaseLeases(owner: String?) async throws {
        let nowMs = Timestamp.milliseconds(Date())
        if let owner {
            try await client.query(
                "UPDATE deliveries SET next_attempt_at = \(nowMs), lease_owner = NULL WHERE lease_owner = \(owner)",
                logger: logger)
        } else {
            try await client.query(
                "UPDATE deliveries SET next_attempt_at = \(nowMs), lease_owner = NULL WHERE lease_owner IS NOT NULL",
                logger: logger)
        }
    }

    public func nextDueAt() async throws -> Date? {
        let rows = try await client.query(PostgresQuery(unsafeSQL: PostgresQueries.nextDue), logger: logger)
        for try await value in rows.decode(Int64?.self) { return value.map(Timestamp.date(milliseconds:)) }
        return nil
    }
}
