import Foundation
import GRDB
import WirehookCore

/// The embedded store: one SQLite file in WAL mode, written by one process.
///
/// Commits are synchronous (`synchronous=FULL`), so an acknowledged ingest survives a crash or
/// power loss. Ingest and attempt results arrive in batches to amortise the fsync.
public struct SQLiteStore: WebhookStore {
    let pool: DatabasePool

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try SQLiteSchema.migrator.migrate(pool)
    }

    // MARK: Endpoints

    public func insertEndpoint(_ endpoint: Endpoint) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO endpoints (id, url, events, description, active, format, secret, options, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: Self.endpointArguments(endpoint))
        }
    }

    public func updateEndpoint(_ endpoint: Endpoint) async throws {
        try await pool.write { db in
            var arguments = Self.endpointArguments(endpoint)
            arguments += [endpoint.id]
            try db.execute(
                sql: """
                    UPDATE endpoints SET id = ?, url = ?, events = ?, description = ?, active = ?, format = ?, secret = ?,
                        options = ?, created_at = ?, updated_at = ? WHERE id = ?
                    """,
                arguments: arguments)
        }
    }

    static func endpointArguments(_ e: Endpoint) -> StatementArguments {
        [
            e.id, e.url, JSONWriter.string(.array(e.events.map { .string($0) })), e.description, e.active, e.format,
            e.secret, JSONWriter.string(e.options), Timestamp.milliseconds(e.createdAt),
            Timestamp.milliseconds(e.updatedAt),
        ]
    }

    public func deleteEndpoint(id: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM endpoints WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func endpoint(id: String) async throws -> Endpoint? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM endpoints WHERE id = ?", arguments: [id]).map(Self.endpoint(from:))
        }
    }

    public func endpoints() async throws -> [Endpoint] {
        try await pool.read { db in
            try Self.allEndpoints(db)
        }
    }

    static func allEndpoints(_ db: Database) throws -> [Endpoint] {
        try Row.fetchAll(db, sql: "SELECT * FROM endpoints ORDER BY created_at, id").map(endpoint(from:))
    }

    static func endpoint(from row: Row) -> Endpoint {
        let events = (try? JSONParser.parse(row["events"] as String))?.arrayValue?.compactMap(\.stringValue) ?? []
        let options = (try? JSONParser.parse(row["options"] as String)) ?? .object([])
        return Endpoint(
            id: row["id"], url: row["url"], events: events, description: row["description"], active: row["active"],
            format: row["format"], secret: row["secret"], createdAt: Timestamp.date(milliseconds: row["created_at"]),
            updatedAt: Timestamp.date(milliseconds: row["updated_at"]), options: options)
    }

    public func stats(endpointID: String, now: Date) async throws -> DeliveryStats {
        let since = Timestamp.milliseconds(now) - 30 * 86_400_000
        return try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) AS total,
                            COALESCE(SUM(status = 'success'), 0) AS ok,
                            COALESCE(SUM(status = 'failed'), 0) AS failed,
                            COALESCE(SUM(status = 'pending'), 0) AS pending,
                            MAX(CASE WHEN status = 'success' THEN delivered_at END) AS last_ok,
                            MAX(CASE WHEN status = 'failed' THEN last_attempt_at END) AS last_failed,
                            MAX(last_attempt_at) AS last_delivery,
                            AVG(CASE WHEN status = 'success' THEN response_time_ms END) AS avg_ms,
                            COALESCE(SUM(created_at >= ?), 0) AS recent
                        FROM deliveries WHERE endpoint_id = ?
                        """, arguments: [since, endpointID])
            else { return DeliveryStats() }
            return DeliveryStats(
                total: row["total"], successful: row["ok"], failed: row["failed"], pending: row["pending"],
                lastSuccessful: (row["last_ok"] as Int64?).map(Timestamp.date(milliseconds:)),
                lastFailed: (row["last_failed"] as Int64?).map(Timestamp.date(milliseconds:)),
                lastDelivery: (row["last_delivery"] as Int64?).map(Timestamp.date(milliseconds:)),
                averageResponseTimeMs: (row["avg_ms"] as Double?).map { Int(saturating: $0.rounded()) },
                last30Days: row["recent"])
        }
    }

    // MARK: Ingest

    public func ingest(
        _ events: [NewEvent], now: Date, plan: @Sendable (NewEvent, [Endpoint]) -> DeliveryPlan
    ) async throws -> [IngestOutcome] {
        let nowMs = Timestamp.milliseconds(now)
        let windowStart = nowMs - 86_400_000
        return try await pool.write { db in
            let endpoints = try Self.allEndpoints(db)
            let findEvent = try db.cachedStatement(
                sql: "SELECT seq FROM events WHERE id = ? AND received_at > ? ORDER BY seq DESC LIMIT 1")
            let countDeliveries = try db.cachedStatement(
                sql: "SELECT COUNT(*) FROM deliveries WHERE event_seq = ? AND status != 'skipped'")
            let insertEvent = try db.cachedStatement(
                sql: """
                    INSERT INTO events (id, type, occurred_at, received_at, source, data, attributes)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            let insertPayload = try db.cachedStatement(
                sql: "INSERT INTO payloads (event_seq, format, body) VALUES (?, ?, ?)")
            let insertDelivery = try db.cachedStatement(
                sql: """
                    INSERT INTO deliveries (id, endpoint_id, event_seq, payload_seq, event_id, event_type, status,
                        next_attempt_at, created_at, note)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            var outcomes: [IngestOutcome] = []
            outcomes.reserveCapacity(events.count)
            for submission in events {
                let event = submission.event
                if submission.callerSuppliedID,
                    let existing = try Int64.fetchOne(findEvent, arguments: [event.id, windowStart])
                {
                    let count = try Int.fetchOne(countDeliveries, arguments: [existing]) ?? 0
                    outcomes.append(IngestOutcome(eventID: event.id, deliveries: count, duplicate: true))
                    continue
                }
                try insertEvent.execute(arguments: [
                    event.id, event.type, Timestamp.milliseconds(event.occurredAt), nowMs, event.source,
                    Data(JSONWriter.serialize(event.data)), Data(JSONWriter.serialize(event.attributes)),
                ])
                let eventSeq = db.lastInsertedRowID
                let planned = plan(submission, endpoints)
                var payloadSeqs: [Int64] = []
                for body in planned.bodies {
                    try insertPayload.execute(arguments: [eventSeq, body.format, Data(body.bytes)])
                    payloadSeqs.append(db.lastInsertedRowID)
                }
                var ids: [String] = []
                var sendable = 0
                for item in planned.items {
                    let id = Identifier.make(prefix: "del_", at: now)
                    ids.append(id)
                    let payloadSeq = item.bodyIndex.map { payloadSeqs[$0] }
                    let status: Delivery.Status = payloadSeq == nil ? .skipped : .pending
                    if status == .pending { sendable += 1 }
                    let dueMs = item.dueAt.map(Timestamp.milliseconds) ?? nowMs
                    try insertDelivery.execute(arguments: [
                        id, item.endpointID, eventSeq, payloadSeq, event.id, event.type, status.rawValue,
                        status == .pending ? dueMs : nil, nowMs, item.note,
                    ])
                }
                outcomes.append(
                    IngestOutcome(eventID: event.id, deliveries: sendable, duplicate: false, deliveryIDs: ids))
            }
            return outcomes
        }
    }

    // MARK: Worker

    public func claimDue(_ request: ClaimRequest) async throws -> [ClaimedDelivery] {
        guard request.limit > 0 else { return [] }
        let nowMs = Timestamp.milliseconds(request.now)
        let leaseMs = Timestamp.milliseconds(request.leaseUntil)
        return try await pool.write { db in
            // Leasing moves next_attempt_at to the lease deadline: a crashed worker's deliveries
            // simply become due again when it passes.
            var plan = ClaimPlan(request: request)
            for _ in 0..<8 {
                let excluded = plan.full.isEmpty ? "" : "AND d.endpoint_id NOT IN (\(plan.full.map { _ in "?" }.joined(separator: ",")))"
                var arguments: StatementArguments = [nowMs]
                arguments += StatementArguments(Array(plan.full))
                let batch = plan.scanSize
                arguments += [batch]
                let candidates = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT d.seq, d.endpoint_id, e.format FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
                        WHERE d.status = 'pending' AND d.next_attempt_at <= ? \(excluded)
                        ORDER BY d.next_attempt_at LIMIT ?
                        """, arguments: arguments
                ).map { ClaimPlan.Candidate(sequence: $0["seq"], endpointID: $0["endpoint_id"], format: $0["format"]) }
                let round = plan.take(candidates)
                if !round.isEmpty {
                    // Leased rows stop being due, so the next round cannot pick them again.
                    try db.execute(
                        sql: """
                            UPDATE deliveries SET next_attempt_at = ?, lease_owner = ?
                            WHERE seq IN (\(round.map(String.init).joined(separator: ",")))
                            """, arguments: [leaseMs, request.owner])
                }
                if plan.isDone || candidates.count < batch { break }
            }
            let taken = plan.taken
            guard !taken.isEmpty else { return [] }
            let list = taken.map(String.init).joined(separator: ",")
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.seq, d.id, d.endpoint_id, e.url, e.format, e.secret, e.options, d.event_id, d.event_type,
                        ev.occurred_at, d.attempts, d.created_at, p.body
                    FROM deliveries d
                    JOIN endpoints e ON e.id = d.endpoint_id
                    JOIN events ev ON ev.seq = d.event_seq
                    JOIN payloads p ON p.seq = d.payload_seq
                    WHERE d.seq IN (\(list))
                    ORDER BY d.next_attempt_at, d.seq
                    """)
            return rows.map { row in
                ClaimedDelivery(
                    sequence: row["seq"], id: row["id"], endpointID: row["endpoint_id"], url: row["url"],
                    format: row["format"], secret: row["secret"],
                    endpointOptions: (try? JSONParser.parse(row["options"] as String)) ?? .object([]),
                    eventID: row["event_id"], eventType: row["event_type"],
                    occurredAt: Timestamp.date(milliseconds: row["occurred_at"]), attempts: row["attempts"],
                    createdAt: Timestamp.date(milliseconds: row["created_at"]), body: Array(row["body"] as Data))
            }
        }
    }

    public func record(_ results: [AttemptRecord]) async throws {
        guard !results.isEmpty else { return }
        try await pool.write { db in
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
                let attempt = result.attempt
                let attemptedMs = Timestamp.milliseconds(attempt.attemptedAt)
                try insertAttempt.execute(arguments: [
                    result.deliverySequence, attemptedMs, attempt.responseStatus, attempt.responseTimeMs,
                    attempt.error, Data(attempt.responseBody),
                    // The endpoint (and its deliveries) may have been deleted while this attempt ran.
                    result.deliverySequence,
                ])
                let status: Delivery.Status
                var nextMs: Int64? = nil
                var deliveredMs: Int64? = nil
                switch result.next {
                case .delivered:
                    status = .success
                    deliveredMs = attemptedMs
                case .retry(let at):
                    status = .pending
                    nextMs = Timestamp.milliseconds(at)
                case .failed:
                    status = .failed
                }
                try update.execute(arguments: [
                    status.rawValue, nextMs, attempt.responseStatus, attempt.responseTimeMs, attemptedMs, deliveredMs,
                    attempt.error, result.deliverySequence,
                ])
            }
        }
    }

    public func extendLeases(_ sequences: [Int64], until: Date, owner: String) async throws {
        guard !sequences.isEmpty else { return }
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE deliveries SET next_attempt_at = ?
                    WHERE lease_owner = ? AND status = 'pending' AND seq IN (\(sequences.map(String.init).joined(separator: ",")))
                    """, arguments: [Timestamp.milliseconds(until), owner])
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

    // MARK: Reading the log

    public func deliveries(_ query: DeliveryQuery) async throws -> DeliveryPage {
        try await pool.read { db in
            var conditions = ["d.endpoint_id = ?"]
            var arguments: StatementArguments = [query.endpointID]
            if let status = query.status {
                conditions.append("d.status = ?")
                arguments += [status.rawValue]
            }
            let total =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM deliveries d WHERE \(conditions.joined(separator: " AND "))",
                    arguments: arguments) ?? 0
            if let before = query.before {
                conditions.append("d.seq < ?")
                arguments += [before]
            }
            arguments += [query.limit + 1]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.*, ev.data FROM deliveries d JOIN events ev ON ev.seq = d.event_seq
                    WHERE \(conditions.joined(separator: " AND ")) ORDER BY d.seq DESC LIMIT ?
                    """, arguments: arguments)
            let hasMore = rows.count > query.limit
            return DeliveryPage(
                deliveries: rows.prefix(query.limit).map(Self.delivery(from:)), total: total, hasMore: hasMore)
        }
    }

    public func delivery(endpointID: String, id: String) async throws -> (Delivery, [Attempt])? {
        try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT d.*, ev.data FROM deliveries d JOIN events ev ON ev.seq = d.event_seq
                        WHERE d.id = ? AND d.endpoint_id = ?
                        """, arguments: [id, endpointID])
            else { return nil }
            let delivery = Self.delivery(from: row)
            let attempts = try Row.fetchAll(
                db, sql: "SELECT * FROM attempts WHERE delivery_seq = ? ORDER BY seq",
                arguments: [delivery.sequence]
            ).map { row in
                Attempt(
                    attemptedAt: Timestamp.date(milliseconds: row["attempted_at"]),
                    responseStatus: row["response_status"], responseTimeMs: row["response_time_ms"],
                    error: row["error"], responseBody: Array((row["response_body"] as Data?) ?? Data()))
            }
            return (delivery, attempts)
        }
    }

    public func delivery(id: String) async throws -> Delivery? {
        try await pool.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT d.*, ev.data FROM deliveries d JOIN events ev ON ev.seq = d.event_seq WHERE d.id = ?",
                arguments: [id]
            ).map(Self.delivery(from:))
        }
    }

    static func delivery(from row: Row) -> Delivery {
        let data = (try? JSONParser.parse(Array(row["data"] as Data))) ?? .null
        return Delivery(
            id: row["id"], sequence: row["seq"], endpointID: row["endpoint_id"], eventID: row["event_id"],
            eventType: row["event_type"], status: Delivery.Status(rawValue: row["status"]) ?? .pending,
            attempts: row["attempts"], responseStatus: row["response_status"],
            responseTimeMs: row["response_time_ms"],
            deliveredAt: (row["delivered_at"] as Int64?).map(Timestamp.date(milliseconds:)),
            nextAttemptAt: (row["status"] as String) == "pending"
                ? (row["next_attempt_at"] as Int64?).map(Timestamp.date(milliseconds:)) : nil,
            lastAttemptAt: (row["last_attempt_at"] as Int64?).map(Timestamp.date(milliseconds:)),
            createdAt: Timestamp.date(milliseconds: row["created_at"]), eventData: data, note: row["note"])
    }

    // MARK: Housekeeping

    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func purge(olderThan cutoff: Date, batchSize: Int) async throws -> Int {
        let cutoffMs = Timestamp.milliseconds(cutoff)
        return try await pool.write { db in
            try db.execute(
                sql: """
                    DELETE FROM deliveries WHERE seq IN (
                        SELECT seq FROM deliveries WHERE created_at < ? AND status != 'pending' LIMIT ?)
                    """, arguments: [cutoffMs, batchSize])
            let removed = db.changesCount
            try db.execute(
                sql: """
                    DELETE FROM events WHERE seq IN (
                        SELECT e.seq FROM events e WHERE e.received_at < ?
                        AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = e.seq) LIMIT ?)
                    """, arguments: [cutoffMs, batchSize])
            return removed
        }
    }
}
