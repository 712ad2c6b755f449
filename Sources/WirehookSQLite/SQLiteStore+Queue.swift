import Foundation
import GRDB
import WirehookCore

extension SQLiteStore: DeliveryQueue {
    public func claimDue(_ request: ClaimRequest) async throws -> [ClaimedDelivery] {
        let nowMs = Timestamp.milliseconds(request.now)
        let leaseMs = Timestamp.milliseconds(request.leaseUntil)
        let secrets = self.secrets
        // A claim only leases; leases are released at start-up, so its commit need not reach the
        // disk before the attempts go out (see `writeWithoutFsync`).
        return try await writeWithoutFsync { db in
            let endpoints = try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Self.endpointColumns) FROM endpoints"))
                .map(Self.endpointRow(from:))
            var plan = ClaimPlan(request: request, endpoints: endpoints.map(Self.standing))
            if !plan.probeCandidates.isEmpty {
                // Taking the probe slot moves the next probe past the lease, so no other claim
                // probes the endpoint while this one is out.
                let won = try String.fetchAll(
                    db,
                    SQLRequest<String>(
                        """
                        UPDATE endpoints SET next_probe_at = \(leaseMs)
                        WHERE id IN \(plan.probeCandidates) AND active AND health_state = 'paused'
                            AND (next_probe_at IS NULL OR next_probe_at <= \(nowMs))
                        RETURNING id
                        """))
                plan.grantProbes(Set(won))
            }
            // One probe of the pending-by-endpoint index per endpoint: an endpoint's backlog, however
            // long, is never walked (see ClaimPlan).
            let due = try db.cachedStatement(
                sql: """
                    SELECT seq, next_attempt_at FROM deliveries INDEXED BY deliveries_pending_by_endpoint
                    WHERE endpoint_id = ? AND status = 'pending' AND next_attempt_at <= ?
                    ORDER BY next_attempt_at LIMIT ?
                    """)
            var candidates: [ClaimPlan.Candidate] = []
            for scan in plan.endpointScans() {
                let rows = try Row.fetchCursor(due, arguments: [scan.endpointID, nowMs, scan.limit])
                while let row = try rows.next() {
                    candidates.append(
                        .init(sequence: row[0], endpointID: scan.endpointID, format: scan.format, dueAtMs: row[1]))
                }
            }
            let taken = plan.take(candidates)
            if !taken.isEmpty {
                // Leasing moves next_attempt_at to the lease deadline, so the row stops being due.
                try db.cachedStatement(
                    sql: """
                        UPDATE deliveries SET next_attempt_at = ?, lease_owner = ?
                        WHERE seq IN (SELECT value FROM json_each(?))
                        """
                ).execute(arguments: [leaseMs, request.owner, Self.jsonArray(taken)])
            }
            guard !plan.taken.isEmpty else { return [] }
            var targets: [String: ClaimedDelivery.Target] = [:]
            for row in endpoints where plan.takenEndpoints.contains(row.id) {
                targets[row.id] = try ClaimedDelivery.Target(row, now: request.now, secrets: secrets)
            }
            var read = try DirectStatement(
                """
                SELECT d.seq, d.id, d.endpoint_id, d.event_id, d.event_type, ev.occurred_at, d.attempts,
                    d.scheduled_attempts, d.next_trigger, d.created_at, p.body, ev.trace_parent
                FROM deliveries d
                JOIN events ev ON ev.seq = d.event_seq
                JOIN payloads p ON p.seq = d.payload_seq
                WHERE d.seq IN (SELECT value FROM json_each(?))
                ORDER BY d.next_attempt_at, d.seq
                """, db)
            var claimed: [ClaimedDelivery] = []
            claimed.reserveCapacity(plan.taken.count)
            try read.forEachRow(Self.jsonArray(plan.taken)) { row in
                guard let target = targets[row.text(2)] else { return }
                let sequence = row.int64(0)
                claimed.append(
                    ClaimedDelivery(
                        sequence: sequence, id: row.text(1), target: target, eventID: row.text(3),
                        eventType: row.text(4), occurredAtMs: row.int64(5), attempts: row.int64(6),
                        scheduledAttempts: row.int64(7), nextTrigger: row.optionalText(8),
                        probe: plan.probes.contains(sequence), createdAtMs: row.int64(9), body: row.blob(10),
                        traceParent: row.optionalText(11)))
            }
            return claimed
        }
    }

    static func standing(_ endpoint: EndpointRow) -> ClaimPlan.Standing {
        ClaimPlan.Standing(id: endpoint.id, active: endpoint.active, health: endpoint.health, format: endpoint.format)
    }

    @discardableResult
    public func record(_ results: [AttemptRecord], health policy: HealthPolicy) async throws -> [HealthChange] {
        guard !results.isEmpty else { return [] }
        return try await pool.write { db in
            // The endpoint (and its deliveries) may have been deleted while the attempt ran.
            var insertAttempt = try DirectStatement(
                """
                INSERT INTO attempts (delivery_seq, attempted_at, response_status, response_time_ms, error,
                    response_body, trigger)
                SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM deliveries WHERE seq = ?)
                """, db)
            var update = try DirectStatement(
                """
                UPDATE deliveries SET attempts = attempts + 1, scheduled_attempts = scheduled_attempts + ?,
                    status = ?, next_attempt_at = ?, lease_owner = NULL, next_trigger = NULL,
                    response_status = ?, response_time_ms = ?, last_attempt_at = ?,
                    delivered_at = COALESCE(?, delivered_at), note = ?
                WHERE seq = ? AND status = 'pending'
                RETURNING endpoint_id, created_at
                """, db)
            var counts = DeliveryCounts()
            for result in results {
                let c = AttemptColumns(result)
                try insertAttempt.execute(
                    c.deliverySequence, c.attemptedAtMs, c.responseStatus, c.responseTimeMs, c.error, c.responseBody,
                    c.trigger, c.deliverySequence)
                let key = try update.fetchOne(
                    c.scheduleIncrement, c.status.rawValue, c.nextAttemptAtMs, c.responseStatus, c.responseTimeMs,
                    c.attemptedAtMs, c.deliveredAtMs, c.error, c.deliverySequence
                ) { row in
                    DeliveryCounts.key(endpointID: row.text(0), createdAtMs: row.int64(1))
                }
                if let key {
                    counts.recorded(key, columns: c)
                }
            }
            try counts.write(db)
            let ids = Set(results.map(\.endpointID))
            var current: [String: EndpointHealth] = [:]
            let byID = try db.cachedStatement(
                sql: "SELECT \(Self.endpointColumns) FROM endpoints WHERE id IN (SELECT value FROM json_each(?))")
            for row in try Row.fetchAll(byID, arguments: [JSONWriter.string(.array(ids.map { .string($0) }))]) {
                let endpoint = Self.endpointRow(from: row)
                current[endpoint.id] = endpoint.health
            }
            let changes = policy.changes(results, current: current)
            for change in changes { try Self.write(change, db) }
            return changes
        }
    }

    static func write(_ change: HealthChange, _ db: Database) throws {
        var row = EndpointRow(
            id: change.endpointID, url: "", eventsText: "", description: "", active: true, format: "", secret: "",
            optionsText: "", createdAtMs: 0, updatedAtMs: 0)
        row.setHealth(change.health)
        let disable = change.health.state == .disabled
        try db.execute(
            literal: """
                UPDATE endpoints SET health_state = \(row.healthState), health_reason = \(row.healthReason),
                    consecutive_failures = \(row.consecutiveFailures), health_since = \(row.healthSinceMs),
                    next_probe_at = \(row.nextProbeAtMs), failing_since = \(row.failingSinceMs),
                    failed_probes = \(row.failedProbes), active = CASE WHEN \(disable) THEN 0 ELSE active END
                WHERE id = \(change.endpointID)
                """)
        if change.releasesBacklog { try releaseBacklog(of: change.endpointID, db) }
    }

    /// Waiting deliveries become due at their creation time, so they go out oldest first.
    static func releaseBacklog(of endpointID: String, _ db: Database) throws {
        try db.execute(
            literal: """
                UPDATE deliveries SET next_attempt_at = created_at
                WHERE endpoint_id = \(endpointID) AND status = 'pending' AND lease_owner IS NULL
                """)
    }

    public func resume(endpointID: String, at date: Date) async throws {
        try await pool.write { db in
            try Self.write(.resumed(endpointID: endpointID, at: date), db)
        }
    }

    public func requeue(_ requeue: Requeue) async throws -> Int {
        let nowMs = Timestamp.milliseconds(requeue.now)
        return try await pool.write { db in
            var conditions: SQL = """
                endpoint_id = \(requeue.endpointID) AND payload_seq IS NOT NULL
                AND (lease_owner IS NULL OR next_attempt_at <= \(nowMs))
                """
            if let id = requeue.deliveryID { conditions.append(literal: " AND id = \(id)") }
            if let since = requeue.since { conditions.append(literal: " AND created_at >= \(Timestamp.milliseconds(since))") }
            if let until = requeue.until { conditions.append(literal: " AND created_at < \(Timestamp.milliseconds(until))") }
            if let status = requeue.status { conditions.append(literal: Self.statusCondition(status, column: "status")) }
            var counts = DeliveryCounts()
            let before = try Row.fetchCursor(
                db, SQLRequest<Row>(literal: "SELECT endpoint_id, created_at, status, response_time_ms FROM deliveries WHERE \(conditions)"))
            while let row = try before.next() {
                counts.requeued(
                    DeliveryCounts.key(endpointID: row["endpoint_id"], createdAtMs: row["created_at"]),
                    from: Delivery.Status(rawValue: row["status"]) ?? .pending, responseTimeMs: row["response_time_ms"])
            }
            try db.execute(
                literal: """
                    UPDATE deliveries SET status = 'pending', next_attempt_at = \(nowMs), lease_owner = NULL,
                        next_trigger = 'manual', scheduled_attempts = 0
                    WHERE \(conditions)
                    """)
            let changed = db.changesCount
            try counts.write(db)
            return changed
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
                db,
                sql: """
                    SELECT MIN((SELECT d.next_attempt_at FROM deliveries d WHERE d.endpoint_id = e.id
                        AND d.status = 'pending' ORDER BY d.next_attempt_at LIMIT 1)) FROM endpoints e
                    """
            ).map(Timestamp.date(milliseconds:))
        }
    }
}
