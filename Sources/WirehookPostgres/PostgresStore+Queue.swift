import Foundation
import Logging
import NIOCore
import PostgresNIO
import WirehookCore

extension PostgresStore: DeliveryQueue {
    public func claimDue(_ request: ClaimRequest) async throws -> [ClaimedDelivery] {
        let nowMs = Timestamp.milliseconds(request.now)
        let leaseMs = Timestamp.milliseconds(request.leaseUntil)
        let logger = self.logger
        let secrets = self.secrets
        return try await client.withConnection { connection in
            // Read apart from the claim: under READ COMMITTED a transaction's statements each see
            // their own snapshot, so reading the endpoints inside it promised nothing more.
            let endpoints = try await Self.endpointRows(connection.query("SELECT * FROM endpoints", logger: logger))
            let plan = ClaimPlan(
                request: request,
                endpoints: endpoints.map {
                    ClaimPlan.Standing(id: $0.id, active: $0.active, health: $0.health, format: $0.format)
                })
            let scans = plan.endpointScans()
            guard plan.takesOldestOnly(scans) else {
                return try await Self.claimInSteps(
                    plan, request: request, endpoints: endpoints, connection: connection, secrets: secrets, logger: logger)
            }
            guard !scans.isEmpty else { return [] }
            // Every endpoint takes single deliveries: the whole claim is one statement.
            var targets: [String: ClaimedDelivery.Target] = [:]
            let rows = try await connection.execute(
                ClaimDue(
                    nowMs: nowMs, endpointIDs: scans.map(\.endpointID), limits: scans.map { Int64($0.limit) },
                    total: Int64(request.limit), owner: request.owner, leaseUntilMs: leaseMs),
                logger: logger)
            var claimed: [ClaimedDelivery] = []
            for try await row in rows {
                let endpointID = row.2
                if targets[endpointID] == nil, let endpoint = endpoints.first(where: { $0.id == endpointID }) {
                    targets[endpointID] = try ClaimedDelivery.Target(endpoint, now: request.now, secrets: secrets)
                }
                guard let target = targets[endpointID] else { continue }
                claimed.append(Self.claimed(row, target: target, probe: false))
            }
            return claimed
        }
    }

    /// A claim with a probe of a paused endpoint or a batch to take, whose choices `ClaimPlan`
    /// makes between the scan and the lease: BEGIN, the settings, the probe slots, the scan, the
    /// lease with the body load, COMMIT.
    private static func claimInSteps(
        _ plan: ClaimPlan, request: ClaimRequest, endpoints: [EndpointRow], connection: PostgresConnection,
        secrets: SecretBox, logger: Logger
    ) async throws -> [ClaimedDelivery] {
        let nowMs = Timestamp.milliseconds(request.now)
        let leaseMs = Timestamp.milliseconds(request.leaseUntil)
        return try await connection.withTransaction(logger: logger) { connection in
            var plan = plan
            // See `claimDueFunction` for the commit that does not wait. The scan's plan is the same
            // whatever its values, and planning it for each call across every day's partition cost
            // more than running it, so it keeps one generic plan per connection
            // (PreparedStatements.swift); the lease and body load after it name their rows' days
            // as constants.
            for try await _ in try await connection.query(
                """
                SELECT set_config('synchronous_commit', 'off', true), set_config('plan_cache_mode', 'force_generic_plan', true)
                """, logger: logger)
            {}
            if !plan.probeCandidates.isEmpty {
                // Taking the probe slot moves the next probe past the lease: of several processes
                // claiming at once, the one whose UPDATE gets the row probes, the others skip it.
                var won = Set<String>()
                let rows = try await connection.query(
                    """
                    UPDATE endpoints SET next_probe_at = \(leaseMs)
                    WHERE id = ANY(\(plan.probeCandidates)) AND active AND health_state = 'paused'
                        AND (next_probe_at IS NULL OR next_probe_at <= \(nowMs))
                    RETURNING id
                    """, logger: logger)
                for try await id in rows.decode(String.self) { won.insert(id) }
                plan.grantProbes(won)
            }
            let scans = plan.endpointScans()
            var sources: [Int64: (event: Int64, payload: Int64)] = [:]
            if !scans.isEmpty {
                let formats = Dictionary(scans.map { ($0.endpointID, $0.format) }, uniquingKeysWith: { first, _ in first })
                let rows = try await connection.execute(
                    DueOfEndpoints(
                        nowMs: nowMs, endpointIDs: scans.map(\.endpointID), limits: scans.map { Int64($0.limit) }),
                    logger: logger)
                var candidates: [ClaimPlan.Candidate] = []
                for try await (seq, endpointID, dueAt, eventSeq, payloadSeq) in rows {
                    sources[seq] = (eventSeq, payloadSeq)
                    candidates.append(
                        .init(sequence: seq, endpointID: endpointID, format: formats[endpointID] ?? "", dueAtMs: dueAt))
                }
                _ = plan.take(candidates)
            }
            guard !plan.taken.isEmpty else { return [] }
            var targets: [String: ClaimedDelivery.Target] = [:]
            for row in endpoints where plan.takenEndpoints.contains(row.id) {
                targets[row.id] = try ClaimedDelivery.Target(row, now: request.now, secrets: secrets)
            }
            // One round trip leases the rows and loads their bodies (PostgresQueries.leaseAndLoad).
            // The lease is a row of its own, so the delivery row and its index entries stay as
            // they are until the result is recorded.
            let sql = PostgresQueries.leaseAndLoad(
                sequences: plan.taken, events: plan.taken.compactMap { sources[$0]?.event },
                payloads: plan.taken.compactMap { sources[$0]?.payload })
            let rows = try await connection.query(
                PostgresQueries.query(sql) {
                    $0.append(leaseMs)
                    $0.append(request.owner)
                    $0.append(nowMs)
                }, logger: logger)
            var claimed: [ClaimedDelivery] = []
            for try await row in rows.decode(ClaimDue.Row.self) {
                guard let target = targets[row.2] else { continue }
                claimed.append(Self.claimed(row, target: target, probe: plan.probes.contains(row.0)))
            }
            return claimed
        }
    }

    private static func claimed(_ row: ClaimDue.Row, target: ClaimedDelivery.Target, probe: Bool) -> ClaimedDelivery {
        let (sequence, id, _, eventID, eventType, occurredAt, attempts, scheduled, trigger, createdAt, body, traceParent) =
            row
        return ClaimedDelivery(
            sequence: sequence, id: id, target: target, eventID: eventID, eventType: eventType,
            occurredAtMs: occurredAt, attempts: Int64(attempts), scheduledAttempts: Int64(scheduled),
            nextTrigger: trigger, probe: probe, createdAtMs: createdAt,
            body: Array(body.readableBytesView), traceParent: traceParent)
    }

    @discardableResult
    public func record(_ results: [AttemptRecord], health policy: HealthPolicy) async throws -> [HealthChange] {
        guard !results.isEmpty else { return [] }
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
        var triggers: [String] = []
        var increments: [Int64] = []
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
            triggers.append(c.trigger)
            increments.append(c.scheduleIncrement)
        }
        let logger = self.logger
        let ids = Array(Set(results.map(\.endpointID)))
        // One statement, so one round trip and one commit (PostgresQueries.record). It returns the
        // endpoints' health as it was before these results.
        let rows = try await client.query(
            PostgresQueries.query(PostgresQueries.record) {
                $0.append(seqs)
                $0.append(attempted)
                $0.append(statuses)
                $0.append(latencies)
                $0.append(errors)
                $0.append(bodies)
                $0.append(triggers)
                $0.append(states)
                $0.append(nexts)
                $0.append(delivered)
                $0.append(increments)
                $0.append(resultShard)
                $0.append(ids)
            }, logger: logger)
        var seen: [String: EndpointHealth] = [:]
        for row in try await Self.endpointRows(rows) { seen[row.id] = row.health }
        // Health moves in a transaction of its own, and only for the endpoints these results can
        // change (any failure, or an endpoint not healthy): a batch of successes to healthy
        // endpoints ends with the statement above. Their rows are locked in id order, so
        // concurrent recorders cannot deadlock, and the changes are applied on fresh rows. A crash
        // between the two loses one step of an endpoint's health, never a result.
        let affected = policy.affected(by: results, current: seen)
        guard !affected.isEmpty else { return [] }
        return try await client.withTransaction(logger: logger) { connection in
            let current = try await Self.healths(connection, ids: affected, lock: true, logger: logger)
            let changes = policy.changes(results.filter { current[$0.endpointID] != nil }, current: current)
            for change in changes { try await Self.write(change, connection, logger: logger) }
            return changes
        }
    }

    static func healths(_ connection: PostgresConnection, ids: [String], lock: Bool, logger: Logger) async throws
        -> [String: EndpointHealth]
    {
        let sql = "SELECT * FROM endpoints WHERE id = ANY($1::TEXT[]) ORDER BY id" + (lock ? " FOR UPDATE" : "")
        let rows = try await connection.query(PostgresQueries.query(sql) { $0.append(ids) }, logger: logger)
        var result: [String: EndpointHealth] = [:]
        for row in try await endpointRows(rows) { result[row.id] = row.health }
        return result
    }

    static func write(_ change: HealthChange, _ connection: PostgresConnection, logger: Logger) async throws {
        var row = EndpointRow(
            id: change.endpointID, url: "", eventsText: "", description: "", active: true, format: "", secret: "",
            optionsText: "", createdAtMs: 0, updatedAtMs: 0)
        row.setHealth(change.health)
        let disable = change.health.state == .disabled
        try await connection.query(
            """
            UPDATE endpoints SET health_state = \(row.healthState), health_reason = \(row.healthReason),
                consecutive_failures = \(Int32(clamping: row.consecutiveFailures)), health_since = \(row.healthSinceMs),
                next_probe_at = \(row.nextProbeAtMs), failing_since = \(row.failingSinceMs),
                failed_probes = \(Int32(clamping: row.failedProbes)), active = (active AND NOT \(disable))
            WHERE id = \(change.endpointID)
            """, logger: logger)
        if change.releasesBacklog {
            // Waiting deliveries become due at their creation time, so they go out oldest first.
            try await connection.query(
                """
                UPDATE deliveries d SET next_attempt_at = created_at
                WHERE endpoint_id = \(change.endpointID) AND status = 'pending'
                    AND NOT EXISTS (SELECT 1 FROM delivery_leases l WHERE l.seq = d.seq)
                """, logger: logger)
        }
    }

    public func resume(endpointID: String, at date: Date) async throws {
        let logger = self.logger
        try await client.withTransaction(logger: logger) { connection in
            try await Self.write(.resumed(endpointID: endpointID, at: date), connection, logger: logger)
        }
    }

    public func requeue(_ requeue: Requeue) async throws -> Int {
        let nowMs = Timestamp.milliseconds(requeue.now)
        let rows = try await client.query(
            PostgresQueries.query(PostgresQueries.requeue) {
                $0.append(requeue.endpointID)
                $0.append(requeue.deliveryID)
                $0.append(requeue.since.map(Timestamp.milliseconds))
                $0.append(requeue.until.map(Timestamp.milliseconds))
                $0.append(requeue.status?.rawValue)
                $0.append(nowMs)
                $0.append(resultShard)
            }, logger: logger)
        var count = 0
        for try await value in rows.decode(Int64.self) { count = Int(clamping: value) }
        return count
    }

    public func extendLeases(_ sequences: [Int64], until: Date, owner: String) async throws {
        guard !sequences.isEmpty else { return }
        try await client.query(
            """
            UPDATE delivery_leases SET until = \(Timestamp.milliseconds(until))
            WHERE owner = \(owner) AND seq = ANY(\(sequences))
            """, logger: logger)
    }

    public func releaseLeases(owner: String?) async throws {
        if let owner {
            try await client.query("DELETE FROM delivery_leases WHERE owner = \(owner)", logger: logger)
        } else {
            try await client.query("DELETE FROM delivery_leases", logger: logger)
        }
    }

    public func nextDueAt() async throws -> Date? {
        let rows = try await client.execute(NextDue(), logger: logger)
        for try await value in rows { return value.map(Timestamp.date(milliseconds:)) }
        return nil
    }
}
