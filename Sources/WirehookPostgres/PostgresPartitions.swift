import Foundation
import Logging
import PostgresNIO
import WirehookCore

/// Daily partitions of the four tables that grow with traffic, so retention drops a whole day
/// instead of deleting it row by row (issue 12: at 10,000 deliveries a second, deletes that write
/// WAL and leave dead rows cannot keep up).
///
/// A row's `seq` says which day it belongs to: `day << 32 | counter`, where `day` is days since
/// 1970 (UTC) on the database's clock when the row was numbered (`wirehook_next_seq`). `events`,
/// `payloads` and `deliveries` are partitioned on their own `seq`; `attempts` on `delivery_seq`,
/// so a delivery and all its attempts live in the same day and go together. Lookups by `seq`
/// therefore touch one partition. Sequences stay below 2^53, so they survive JSON and JavaScript.
/// Rows numbered before partitioning (sequence values below 2^32) live in `<table>_legacy`,
/// which retention empties row by row as before.
enum PostgresPartitions {
    static let tables = ["events", "payloads", "deliveries", "attempts"]
    static let dayShift = 32
    /// Partitions made ahead of need. Processes that only ingest never run retention, so they must
    /// not depend on it for tomorrow's partition; an insert that still finds none makes them.
    static let daysAhead = 7

    static func day(ofMilliseconds ms: Int64) -> Int64 { Timestamp.day(ofMilliseconds: ms) }

    /// The first `seq` of a day.
    static func firstSequence(ofDay day: Int64) -> Int64 { day << Int64(dayShift) }

    /// Partition names are UTC dates.
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// `events_20261129` for the day that starts 2026-11-29 00:00 UTC.
    static func name(_ table: String, day: Int64) -> String {
        let c = utc.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(day) * 86_400))
        return String(format: "%@_%04d%02d%02d", table, c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// The day a partition name stands for, or nil for `_legacy` and anything not made here.
    static func day(ofPartition name: String, table: String) -> Int64? {
        let prefix = table + "_"
        guard name.hasPrefix(prefix) else { return nil }
        let digits = name.dropFirst(prefix.count)
        guard digits.count == 8, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            let year = Int(digits.prefix(4)), let month = Int(digits.dropFirst(4).prefix(2)),
            let dayOfMonth = Int(digits.suffix(2))
        else { return nil }
        guard let date = utc.date(from: DateComponents(year: year, month: month, day: dayOfMonth)),
            name == Self.name(table, day: Int64(date.timeIntervalSince1970 / 86_400))
        else { return nil }
        return Int64(date.timeIntervalSince1970 / 86_400)
    }

    /// The SQL that makes one day's partitions of all four tables, if missing. Serialised by an
    /// advisory lock, since two processes may both find tomorrow missing.
    static func ensureStatements(days: ClosedRange<Int64>) -> [String] {
        var statements = ["SELECT pg_advisory_xact_lock(\(PostgresSchema.lockKey + 1))"]
        for day in days {
            for table in tables {
                statements.append(
                    """
                    CREATE TABLE IF NOT EXISTS \(name(table, day: day)) PARTITION OF \(table)
                    FOR VALUES FROM (\(firstSequence(ofDay: day))) TO (\(firstSequence(ofDay: day + 1)))
                    """)
            }
        }
        return statements
    }

    /// Makes the partitions from yesterday to `daysAhead` days on, by the database's clock. One
    /// catalog read when they are all there, which is nearly always.
    static func ensure(_ connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(
            "SELECT (floor(extract(epoch FROM clock_timestamp()) * 1000))::BIGINT", logger: logger)
        var nowMs: Int64 = 0
        for try await value in rows.decode(Int64.self) { nowMs = value }
        let today = day(ofMilliseconds: nowMs)
        let days = (today - 1)...(today + Int64(daysAhead))
        let wanted = days.flatMap { day in tables.map { name($0, day: day) } }
        let found = try await connection.query(
            "SELECT COUNT(*)::BIGINT FROM pg_class WHERE relname = ANY(\(wanted)) AND relnamespace = current_schema()::regnamespace",
            logger: logger)
        for try await count in found.decode(Int64.self) where count == wanted.count { return }
        for statement in ensureStatements(days: days) {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    }

    /// An insert found no partition for its row (SQLSTATE 23514 from partition routing).
    static func isMissingPartition(_ error: any Error) -> Bool {
        let info = PostgresStore.serverInfo(of: error)
        return info?[.sqlState] == PostgresError.Code.checkViolation.raw
            && (info?[.message] ?? "").contains("no partition")
    }

    /// Drops every day that ended before `cutoffMs` and that nothing retained still needs:
    /// a day's deliveries and attempts once none of its deliveries is pending; its events and
    /// payloads once no delivery left refers to them. Each drop is its own short transaction that
    /// locks the parents first, `attempts` before `deliveries` as recording results and deleting
    /// an endpoint take them, and gives up rather than queue behind a long query or lose to a
    /// deadlock; a day not dropped now is tried again next pass.
    /// Returns the partitions dropped.
    static func dropExpired(_ client: PostgresClient, cutoffMs: Int64, logger: Logger) async throws -> [String] {
        let cutoffDay = day(ofMilliseconds: cutoffMs)
        var dropped: [String] = []
        var days: [String: [Int64]] = [:]
        let rows = try await client.query(
            """
            SELECT p.relname::TEXT, c.relname::TEXT FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname IN ('events', 'payloads', 'deliveries', 'attempts')
                AND p.relnamespace = current_schema()::regnamespace
            """, logger: logger)
        var legacy = Set<String>()
        for try await (table, partition) in rows.decode((String, String).self) {
            // Day d ends at (d + 1) days; only days wholly before the cutoff go.
            if let day = day(ofPartition: partition, table: table), day + 1 <= cutoffDay {
                days[table, default: []].append(day)
            }
            if partition == table + "_legacy" { legacy.insert(table) }
        }
        // Nothing is numbered below 2^32 any more, so an empty `_legacy` (always, on a database
        // that started partitioned) is one partition less for every statement to look at.
        if legacy.contains("deliveries"), legacy.contains("attempts") {
            let gone = try await dropIf(
                client, lock: ["attempts", "deliveries"], drop: ["attempts_legacy", "deliveries_legacy"],
                stillNeeded: "SELECT EXISTS (SELECT 1 FROM deliveries_legacy) OR EXISTS (SELECT 1 FROM attempts_legacy)",
                countsOf: "shard = -1", logger: logger)
            if gone { dropped += ["attempts_legacy", "deliveries_legacy"] }
        }
        for table in ["events", "payloads"] where legacy.contains(table) {
            let gone = try await dropIf(
                client, lock: [table], drop: ["\(table)_legacy"],
                stillNeeded: "SELECT EXISTS (SELECT 1 FROM \(table)_legacy)", logger: logger)
            if gone { dropped.append("\(table)_legacy") }
        }
        for day in (days["deliveries"] ?? []).sorted() {
            let deliveries = name("deliveries", day: day)
            let attempts = name("attempts", day: day)
            let gone = try await dropIf(
                client, lock: ["attempts", "deliveries"], drop: [attempts, deliveries],
                stillNeeded: "SELECT EXISTS (SELECT 1 FROM \(deliveries) WHERE status = 'pending')",
                countsOf: "day = \(day) AND shard >= 0", logger: logger)
            if gone { dropped += [attempts, deliveries] }
        }
        for (table, column) in [("events", "event_seq"), ("payloads", "payload_seq")] {
            for day in (days[table] ?? []).sorted() {
                let partition = name(table, day: day)
                let gone = try await dropIf(
                    client, lock: [table, "deliveries"], drop: [partition],
                    stillNeeded: """
                        SELECT EXISTS (SELECT 1 FROM deliveries WHERE \(column) >= \(firstSequence(ofDay: day))
                            AND \(column) < \(firstSequence(ofDay: day + 1)))
                        """, logger: logger)
                if gone { dropped.append(partition) }
            }
        }
        return dropped
    }

    /// Drops `drop` unless `stillNeeded` says otherwise, with the parents locked so nothing can
    /// start needing them in between. False when kept, or when the locks were not free in time.
    /// `countsOf` selects the `delivery_counts` rows of the deliveries dropped, which go with them.
    static func dropIf(
        _ client: PostgresClient, lock: [String], drop: [String], stillNeeded: String, countsOf: String? = nil,
        logger: Logger
    ) async throws -> Bool {
        // Asked first without the locks: a day kept for a pending delivery is asked about on every
        // batch of a pass, and must not stop ingest each time.
        for try await needed in try await client.query(PostgresQuery(unsafeSQL: stillNeeded), logger: logger)
            .decode(Bool.self) where needed
        {
            return false
        }
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SET LOCAL lock_timeout = '2s'", logger: logger)
                try await connection.query(
                    PostgresQuery(unsafeSQL: "LOCK TABLE \(lock.joined(separator: ", ")) IN ACCESS EXCLUSIVE MODE"),
                    logger: logger)
                var needed = true
                for try await value in try await connection.query(PostgresQuery(unsafeSQL: stillNeeded), logger: logger)
                    .decode(Bool.self)
                {
                    needed = value
                }
                guard !needed else { return false }
                try await connection.query(
                    PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(drop.joined(separator: ", "))"), logger: logger)
                if let countsOf {
                    try await connection.query(
                        PostgresQuery(unsafeSQL: "DELETE FROM delivery_counts WHERE \(countsOf)"), logger: logger)
                }
                return true
            }
        } catch let error where isLockTimeout(error) {
            logger.info("Retention left a partition for the next pass: its table was busy", metadata: ["partitions": "\(drop)"])
            return false
        }
    }

    static func isDeadlock(_ error: any Error) -> Bool {
        PostgresStore.serverInfo(of: error)?[.sqlState] == PostgresError.Code.deadlockDetected.raw
    }

    /// The locks were not free in time, or PostgreSQL broke a deadlock by cancelling this side.
    static func isLockTimeout(_ error: any Error) -> Bool {
        PostgresStore.serverInfo(of: error)?[.sqlState] == PostgresError.Code.lockNotAvailable.raw || isDeadlock(error)
    }
}
