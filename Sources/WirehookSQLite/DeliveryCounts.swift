import GRDB
import WirehookCore

/// What one transaction changes in `delivery_counts`, the per-endpoint, per-day figures that
/// `stats` reads instead of counting the endpoint's whole history. Collected as rows change and
/// written once per (endpoint, day) at the end of the transaction.
struct DeliveryCounts {
    struct Key: Hashable, Comparable {
        var endpointID: String
        var day: Int64

        static func < (a: Key, b: Key) -> Bool { (a.endpointID, a.day) < (b.endpointID, b.day) }
    }

    struct Change {
        var total: Int64 = 0
        var pending: Int64 = 0
        var succeeded: Int64 = 0
        var failed: Int64 = 0
        var successMsSum: Int64 = 0
        var successMsCount: Int64 = 0
        var lastSucceededAt: Int64?
        var lastFailedAt: Int64?
        var lastAttemptAt: Int64?

        mutating func add(_ status: Delivery.Status, _ sign: Int64, responseTimeMs: Int64?) {
            switch status {
            case .pending: pending += sign
            case .success:
                succeeded += sign
                if let responseTimeMs {
                    successMsSum += sign * responseTimeMs
                    successMsCount += sign
                }
            case .failed: failed += sign
            case .skipped: break
            }
        }
    }

    private(set) var changes: [Key: Change] = [:]

    /// The day a delivery is counted on: its creation's, in UTC.
    static func key(endpointID: String, createdAtMs: Int64) -> Key {
        Key(endpointID: endpointID, day: Timestamp.day(ofMilliseconds: createdAtMs))
    }

    mutating func inserted(_ key: Key, status: Delivery.Status) {
        changes[key, default: Change()].total += 1
        changes[key, default: Change()].add(status, 1, responseTimeMs: nil)
    }

    /// A pending delivery's attempt was recorded; it may still be pending.
    mutating func recorded(_ key: Key, columns c: AttemptColumns) {
        var change = changes[key] ?? Change()
        change.add(.pending, -1, responseTimeMs: nil)
        change.add(c.status, 1, responseTimeMs: c.responseTimeMs)
        change.lastAttemptAt = max(change.lastAttemptAt ?? c.attemptedAtMs, c.attemptedAtMs)
        if c.status == .success, let at = c.deliveredAtMs { change.lastSucceededAt = max(change.lastSucceededAt ?? at, at) }
        if c.status == .failed { change.lastFailedAt = max(change.lastFailedAt ?? c.attemptedAtMs, c.attemptedAtMs) }
        changes[key] = change
    }

    /// A delivery went back to pending from `status`.
    mutating func requeued(_ key: Key, from status: Delivery.Status, responseTimeMs: Int64?) {
        changes[key, default: Change()].add(status, -1, responseTimeMs: responseTimeMs)
        changes[key, default: Change()].add(.pending, 1, responseTimeMs: nil)
    }

    mutating func removed(_ key: Key, status: Delivery.Status, responseTimeMs: Int64?) {
        changes[key, default: Change()].total -= 1
        changes[key, default: Change()].add(status, -1, responseTimeMs: responseTimeMs)
    }

    /// Applies the changes in key order. A day whose last delivery is gone loses its row, and with
    /// it the times it remembered.
    func write(_ db: Database) throws {
        guard !changes.isEmpty else { return }
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO delivery_counts (endpoint_id, day, total, pending, succeeded, failed, success_ms_sum,
                    success_ms_count, last_succeeded_at, last_failed_at, last_attempt_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (endpoint_id, day) DO UPDATE SET total = total + excluded.total,
                    pending = pending + excluded.pending, succeeded = succeeded + excluded.succeeded,
                    failed = failed + excluded.failed, success_ms_sum = success_ms_sum + excluded.success_ms_sum,
                    success_ms_count = success_ms_count + excluded.success_ms_count,
                    last_succeeded_at = max(coalesce(last_succeeded_at, excluded.last_succeeded_at),
                        coalesce(excluded.last_succeeded_at, last_succeeded_at)),
                    last_failed_at = max(coalesce(last_failed_at, excluded.last_failed_at),
                        coalesce(excluded.last_failed_at, last_failed_at)),
                    last_attempt_at = max(coalesce(last_attempt_at, excluded.last_attempt_at),
                        coalesce(excluded.last_attempt_at, last_attempt_at))
                """)
        var emptied = false
        for (key, c) in changes.sorted(by: { $0.key < $1.key }) {
            try upsert.execute(arguments: [
                key.endpointID, key.day, c.total, c.pending, c.succeeded, c.failed, c.successMsSum, c.successMsCount,
                c.lastSucceededAt, c.lastFailedAt, c.lastAttemptAt,
            ])
            emptied = emptied || c.total < 0
        }
        if emptied { try db.execute(sql: "DELETE FROM delivery_counts WHERE total <= 0") }
    }

    /// Counts as of the rows themselves, for the migration that starts the counters.
    static let rebuild = """
        INSERT INTO delivery_counts (endpoint_id, day, total, pending, succeeded, failed, success_ms_sum,
            success_ms_count, last_succeeded_at, last_failed_at, last_attempt_at)
        SELECT endpoint_id, \(dayOfCreation), COUNT(*), SUM(status = 'pending'), SUM(status = 'success'),
            SUM(status = 'failed'), COALESCE(SUM(CASE WHEN status = 'success' THEN response_time_ms END), 0),
            COUNT(CASE WHEN status = 'success' THEN response_time_ms END),
            MAX(CASE WHEN status = 'success' THEN delivered_at END),
            MAX(CASE WHEN status = 'failed' THEN last_attempt_at END), MAX(last_attempt_at)
        FROM deliveries GROUP BY 1, 2
        """

    /// `Timestamp.day(ofMilliseconds:)` of `created_at` in SQL (SQLite's `/` truncates toward zero).
    static let dayOfCreation = "(created_at / 86400000 - (created_at < 0 AND created_at % 86400000 != 0))"
}
