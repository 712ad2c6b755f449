import Foundation
import GRDB
import WirehookCore

extension SQLiteStore: DeliveryQueue {
    public func claimDue(_ request: ClaimRequest) async throws -> [ClaimedDelivery] {
        let nowMs = Timestamp.milliseconds(request.now)
        let leaseMs = Timestamp.milliseconds(request.leaseUntil)
        return try await pool.write { db in
            var plan = ClaimPlan(request: request)
            while let scan = plan.nextScan() {
                let candidates = try Row.fetchAll(
                    db,
                    SQLRequest<Row>(
                        """
                        SELECT d.seq, d.endpoint_id, e.format FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
                        WHERE d.status = 'pending' AND d.next_attempt_at <= \(nowMs) AND d.endpoint_id NOT IN \(scan.excluding)
                        ORDER BY d.next_attempt_at LIMIT \(scan.limit)
                        """)
                ).map { ClaimPlan.Candidate(sequence: $0["seq"], endpointID: $0["endpoint_id"], format: $0["format"]) }
                let round = plan.take(candidates)
                if !round.isEmpty {
                    // Leasing moves next_attempt_at to the lease deadline, so the row stops being due.
                    try db.execute(
                        literal: """
                            UPDATE deliveries SET next_attempt_at = \(leaseMs), lease_owner = \(request.owner)
                            WHERE seq IN \(round)
                            """)
                }
            }
            guard !plan.taken.isEmpty else { return [] }
            return try Row.fetchAll(
                db,
                SQLRequest<Row>(
                    """
                    SELECT d.seq, d.id, d.endpoint_id, e.url, e.format, e.secret, e.options, d.event_id, d.event_type,
                        ev.occurred_at, d.attempts, d.created_at, p.body
                    FROM deliveries d
                    JOIN endpoints e ON e.id = d.endpoint_id
                    JOIN events ev ON ev.seq = d.event_seq
                    JOIN payloads p ON p.seq = d.payload_seq
                    WHERE d.seq IN \(plan.taken)
                    ORDER BY d.next_attempt_at, d.seq
                    """)
            ).map { row in
                ClaimedDelivery(
                    sequence: row["seq"], id: row["id"], endpointID: row["endpoint_id"], url: row["url"],
                    format: row["format"], secret: row["secret"], optionsText: row["options"], eventID: row["event_id"],
                    eventType: row["event_type"], occurredAtMs: row["occurred_at"], attempts: row["attempts"],
                    createdAtMs: row["created_at"], body: Array(row["body"] as Data))
            }
        }
    }

    public func record(_ results: [AttemptRecord]) async throws {
        guard !results.isEmpty else { return }
        try await pool.write { db in
            // The endpoint (and its deliveries) may have been deleted while the attempt ran.
            let insertAttempt = try db.cachedStatement(
                sql: """
                    INSERT INTO attempts (delivery_seq, attempted_at, response_status, response_time_ms, error, response_body)
                    SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM deliveries WHERE seq = ?)
                    """)
            let update = try db.cachedStatement(
                sql: """
                    UPDATE deliveries SET attempts = attempts + 1, status = ?, next_attempt_at = ?, lease_owner = NULL,
                        response_status = ?, response_time_ms = ?, last_attempt_at = ?,
                        delivered_at = COALESCE(?, delivered_at), note = ?
                    WHERE seq = ? AND status = 'pending'
                    """)
            for result in results {
                let c = AttemptColumns(result)
                try insertAttempt.execute(arguments: [
                    c.deliverySequence, c.attemptedAtMs, c.responseStatus, c.responseTimeMs, c.error,
                    Data(c.responseBody), c.deliverySequence,
                ])
                try update.execute(arguments: [
                    c.status.rawValue, c.nextAttemptAtMs, c.responseStatus, c.responseTimeMs, c.attemptedAtMs,
                    c.deliveredAtMs, c.error, c.deliverySequence,
                ])
            }
        }
    }

    public func extendLeases(_ sequences: [Int64], until: Date, owner: String) async throws {
        guard !sequences.isEmpty else { return }
        try await pool.write { db in
            try db.execute(
                literal: """
                    UPDATE deliveries SET next_attempt_at = \(Timestamp.milliseconds(until))
                    WHERE lease_owner = \(owner) AND status = 'pending' AND seq IN \(sequences)
                    """)
        }
    }

    public func releaseLeases(owner: String?) async throws {
        let nowMs = Timestamp.milliseconds(Date())
        try await pool.write { db in
            if let owner {
                try db.execute(
                    sql: "UPDATE deliveries SET next_attempt_at = ?, lease_owner = NULL WHERE lease_owner = ?",
                    arguments: [nowMs, owner])
            } else {
                try db.execute(
                    sql: "UPDATE deliveries SET next_attempt_at = ?, lease_owner = NULL WHERE lease_owner IS NOT NULL",
                    arguments: [nowMs])
            }
        }
    }

    public func nextDueAt() async throws -> Date? {
        try await pool.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'pending'"
            ).map(Timestamp.date(milliseconds:))
        }
    }
}
