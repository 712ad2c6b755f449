import Foundation
import GRDB
import Testing
import WirehookCore

@testable import WirehookSQLite

/// The migration that starts `delivery_counts` on an embedded database that already has history:
/// the counts it writes are what a recount of the rows says.
@Suite(.timeLimit(.minutes(1)))
struct SQLiteCountsMigrationTests {
    @Test func aDatabaseWithHistoryStartsWithCountsOfItsRows() async throws {
        let path = TemporaryDirectory.make() + "/wirehook.sqlite"
        let day: Int64 = 86_400_000
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let ms = Timestamp.milliseconds(now)
        do {
            let queue = try DatabaseQueue(path: path)
            try SQLiteSchema.migrator.migrate(queue, upTo: "trace-parent")
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO endpoints (id, url, events, active, format, secret, created_at, updated_at)
                            VALUES ('wh_old', 'http://127.0.0.1:9/', '*', 1, 'standard', 'x', 0, 0);
                        INSERT INTO events (id, type, occurred_at, received_at, source, data, attributes)
                            VALUES ('evt_1', 'user.created', 0, 0, 'api', X'7B7D', X'7B7D');
                        """)
                // 40, 3 and 0 days old; delivered in 30 and 50 ms, failed, pending, skipped.
                for (i, (age, status, latency)) in [
                    (40, "success", 30), (3, "success", 50), (3, "failed", 900), (0, "pending", 0), (0, "skipped", 0),
                ].enumerated() {
                    let created = ms - Int64(age) * day
                    try db.execute(
                        sql: """
                            INSERT INTO deliveries (id, endpoint_id, event_seq, event_id, event_type, status,
                                response_time_ms, delivered_at, last_attempt_at, created_at)
                            VALUES (?, 'wh_old', 1, 'evt_1', 'user.created', ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            "del_\(i)", status, status == "pending" ? nil : latency,
                            status == "success" ? created + 1 : nil, status == "pending" ? nil : created + 1, created,
                        ])
                }
            }
        }
        let store = try SQLiteStore(path: path)
        let counted = try await store.stats(endpointID: "wh_old", now: now)
        #expect(counted.total == 5 && counted.successful == 2 && counted.failed == 1 && counted.pending == 1)
        #expect(counted.averageResponseTimeMs == 40, "successes only")
        #expect(counted.last30Days == 4, "the 40-day-old one is out of the window")
        #expect(counted == (try await store.recountStats(endpointID: "wh_old", now: now)))
    }
}
