import Foundation
import GRDB
import WirehookCore

extension SQLiteStore: DeliveryLog {
    public func deliveries(_ query: DeliveryQuery) async throws -> DeliveryPage {
        try await pool.read { db in
            var conditions: SQL = "d.endpoint_id = \(query.endpointID)"
            if let status = query.status { conditions.append(literal: Self.statusCondition(status, column: "d.status")) }
            if let type = query.eventType { conditions.append(literal: " AND d.event_type = \(type)") }
            // Without a type filter the counters know the total; with one, the rows are counted.
            let total =
                query.eventType == nil
                ? try Self.countedStats(db, endpointID: query.endpointID, sinceDay: 0).count(of: query.status)
                : try Int.fetchOne(db, SQLRequest<Int>("SELECT COUNT(*) FROM deliveries d WHERE \(conditions)")) ?? 0
            if let before = query.before { conditions.append(literal: " AND d.seq < \(before)") }
            let rows = try Row.fetchAll(
                db,
                SQLRequest<Row>(
                    """
                    SELECT d.*, ev.data FROM deliveries d JOIN events ev ON ev.seq = d.event_seq
                    WHERE \(conditions) ORDER BY d.seq DESC LIMIT \(query.limit + 1)
                    """))
            return DeliveryPage(
                deliveries: rows.prefix(query.limit).map(Self.delivery(from:)), total: total,
                hasMore: rows.count > query.limit)
        }
    }

    /// `status = …`, and for any status but success also the condition of the partial index
    /// `deliveries_unsuccessful_by_endpoint`, which SQLite uses only when the query states it.
    /// Successes are read through `deliveries_by_endpoint`: they are most of an endpoint's rows.
    static func statusCondition(_ status: Delivery.Status, column: String) -> SQL {
        let name = SQL(sql: column)
        return status == .success
            ? " AND \(name) = 'success'" : " AND \(name) = \(status.rawValue) AND \(name) != 'success'"
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
                db, sql: "SELECT * FROM attempts WHERE delivery_seq = ? ORDER BY seq", arguments: [delivery.sequence]
            ).map { row in
                Attempt(
                    attemptedAt: Timestamp.date(milliseconds: row["attempted_at"]),
                    responseStatus: (row["response_status"] as Int64?).map { Int(clamping: $0) },
                    responseTimeMs: Int(clamping: row["response_time_ms"] as Int64),
                    error: row["error"], responseBody: Array((row["response_body"] as Data?) ?? Data()),
                    trigger: AttemptTrigger(rawValue: row["trigger"]) ?? .schedule)
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

    public func event(id: String) async throws -> Event? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM events WHERE id = ? ORDER BY seq DESC LIMIT 1", arguments: [id]
            ).map { row in
                Event(
                    id: row["id"], type: row["type"], occurredAt: Timestamp.date(milliseconds: row["occurred_at"]),
                    data: (try? JSONParser.parse(Array(row["data"] as Data))) ?? .null, source: row["source"],
                    attributes: (try? JSONParser.parse(Array(row["attributes"] as Data))) ?? .object([]))
            }
        }
    }

    static func delivery(from row: Row) -> Delivery {
        DeliveryRow(
            id: row["id"], sequence: row["seq"], endpointID: row["endpoint_id"], eventID: row["event_id"],
            eventType: row["event_type"], status: row["status"], attempts: row["attempts"],
            responseStatus: row["response_status"], responseTimeMs: row["response_time_ms"],
            deliveredAtMs: row["delivered_at"], nextAttemptAtMs: row["next_attempt_at"],
            lastAttemptAtMs: row["last_attempt_at"], createdAtMs: row["created_at"],
            eventData: Array(row["data"] as Data), note: row["note"]
        ).delivery
    }

    public func attemptHistogram(endpointID: String, now: Date, width: Duration, count: Int) async throws
        -> AttemptHistogram
    {
        let window = AttemptHistogram.window(now: now, width: width, count: count)
        let rows = try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT (a.attempted_at - ?) / ? AS bucket,
                        COALESCE(SUM(a.error IS NULL AND a.response_status BETWEEN 200 AND 299), 0) AS ok,
                        COALESCE(SUM(NOT (a.error IS NULL AND a.response_status BETWEEN 200 AND 299)), 0) AS bad
                    FROM attempts a JOIN deliveries d ON d.seq = a.delivery_seq
                    WHERE d.endpoint_id = ? AND d.last_attempt_at >= ? AND a.attempted_at >= ?
                    GROUP BY bucket
                    """, arguments: [window.startMs, window.widthMs, endpointID, window.startMs, window.startMs]
            ).map { row in (index: row["bucket"] as Int64, successes: row["ok"] as Int64, failures: row["bad"] as Int64) }
        }
        return AttemptHistogram(startMs: window.startMs, widthMs: window.widthMs, count: window.count, rows: rows)
    }

    public func stats(endpointID: String, now: Date) async throws -> DeliveryStats {
        try await pool.read { db in
            try Self.countedStats(db, endpointID: endpointID, sinceDay: DeliveryStats.recentSinceDay(now))
        }
    }

    static func countedStats(_ db: Database, endpointID: String, sinceDay: Int64) throws -> DeliveryStats {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT COALESCE(SUM(total), 0) AS total, COALESCE(SUM(succeeded), 0) AS ok,
                    COALESCE(SUM(failed), 0) AS failed, COALESCE(SUM(pending), 0) AS pending,
                    MAX(last_succeeded_at) AS last_ok, MAX(last_failed_at) AS last_failed,
                    MAX(last_attempt_at) AS last_delivery, COALESCE(SUM(success_ms_sum), 0) AS ms_sum,
                    COALESCE(SUM(success_ms_count), 0) AS ms_count,
                    COALESCE(SUM(CASE WHEN day >= ? THEN total END), 0) AS recent
                FROM delivery_counts WHERE endpoint_id = ?
                """, arguments: [sinceDay, endpointID])
        return row.map(deliveryStats) ?? DeliveryStats()
    }

    public func recountStats(endpointID: String, now: Date) async throws -> DeliveryStats {
        try await pool.read { db in
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
                        COALESCE(SUM(CASE WHEN status = 'success' THEN response_time_ms END), 0) AS ms_sum,
                        COUNT(CASE WHEN status = 'success' THEN response_time_ms END) AS ms_count,
                        COALESCE(SUM(\(DeliveryCounts.dayOfCreation) >= ?), 0) AS recent
                    FROM deliveries WHERE endpoint_id = ?
                    """, arguments: [DeliveryStats.recentSinceDay(now), endpointID])
            return row.map(Self.deliveryStats) ?? DeliveryStats()
        }
    }

    static func deliveryStats(_ row: Row) -> DeliveryStats {
        // Never below zero, even if the counters ever drifted: the figures are counts.
        DeliveryStats(
            total: max(0, row["total"]), successful: max(0, row["ok"]), failed: max(0, row["failed"]),
            pending: max(0, row["pending"]),
            lastSuccessful: (row["last_ok"] as Int64?).map(Timestamp.date(milliseconds:)),
            lastFailed: (row["last_failed"] as Int64?).map(Timestamp.date(milliseconds:)),
            lastDelivery: (row["last_delivery"] as Int64?).map(Timestamp.date(milliseconds:)),
            averageResponseTimeMs: DeliveryStats.averageMs(sum: row["ms_sum"], count: row["ms_count"]),
            last30Days: max(0, row["recent"]))
    }

    public func attemptFeed(after cursor: Int64, limit: Int) async throws -> [AttemptFeedEntry] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.seq, a.attempted_at, a.response_status, a.response_time_ms, a.error, a.trigger,
                        d.id, d.endpoint_id, d.event_id, d.event_type, d.status,
                        (SELECT COUNT(*) FROM attempts p WHERE p.delivery_seq = a.delivery_seq AND p.seq <= a.seq)
                            AS number
                    FROM attempts a JOIN deliveries d ON d.seq = a.delivery_seq
                    WHERE a.seq > ? ORDER BY a.seq LIMIT ?
                    """, arguments: [cursor, max(1, limit)]
            ).map { row in
                AttemptFeedEntry(
                    cursor: row["seq"], attemptedAt: Timestamp.date(milliseconds: row["attempted_at"]),
                    endpointID: row["endpoint_id"], deliveryID: row["id"], eventID: row["event_id"],
                    eventType: row["event_type"], attemptNumber: Int(clamping: row["number"] as Int64),
                    responseStatus: (row["response_status"] as Int64?).map { Int(clamping: $0) },
                    responseTimeMs: Int(clamping: row["response_time_ms"] as Int64), error: row["error"],
                    trigger: AttemptTrigger(rawValue: row["trigger"]) ?? .schedule,
                    deliveryStatus: Delivery.Status(rawValue: row["status"]) ?? .pending)
            }
        }
    }

    public func latestAttemptCursor() async throws -> Int64 {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM attempts") ?? 0 }
    }
}
