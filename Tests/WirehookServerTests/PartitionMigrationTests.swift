import Foundation
import Logging
import PostgresNIO
import Testing
import WirehookCore

@testable import WirehookPostgres

/// Migration 14 turns a database that already holds traffic into daily partitions: every row is
/// kept (in `_legacy`), work pending before is still delivered, and new rows go to today.
@Suite(.enabled(if: TestDatabase.baseURL != nil), .timeLimit(.minutes(2)))
struct PartitionMigrationTests {
    @Test func aDatabaseWithTrafficKeepsEveryRowAndItsPendingWork() async throws {
        let url = try #require(try TestDatabase.makeIfEnabled())
        // The schema as it was before partitioning, with a little history in it.
        let before = PostgresSchema.migrations.filter { $0.version < 14 }
        let statements = before.flatMap(\.statements) + [
            "CREATE TABLE wirehook_migrations (version INT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
            "INSERT INTO wirehook_migrations (version) VALUES \(before.map { "(\($0.version))" }.joined(separator: ", "))",
        ]
        try TestDatabase.psql(url, statements.joined(separator: ";\n"))

        let client = PostgresClient(
            configuration: try PostgresStore.configuration(url: url), backgroundLogger: StoreTests.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let store = PostgresStore(client: client, logger: StoreTests.logger)
            let now = Date()
            try await store.insertEndpoint(StoreTests.endpoint("wh_old", at: now))
            let ms = Timestamp.milliseconds(now)
            try TestDatabase.psql(
                url,
                """
                INSERT INTO events (id, type, occurred_at, received_at, source, data, attributes)
                    SELECT 'evt_old' || i, 'user.created', \(ms), \(ms), 'api', '{}'::BYTEA, '{}'::BYTEA
                    FROM generate_series(1, 3) i;
                INSERT INTO payloads (event_seq, format, body) SELECT seq, 'standard', '{"old":true}'::BYTEA FROM events;
                INSERT INTO deliveries (id, endpoint_id, event_seq, payload_seq, event_id, event_type, status, attempts,
                        next_attempt_at, created_at)
                    SELECT 'del_old' || e.seq, 'wh_old', e.seq, p.seq, e.id, e.type,
                        CASE WHEN e.seq = 3 THEN 'pending' ELSE 'success' END, 1,
                        CASE WHEN e.seq = 3 THEN \(ms) ELSE NULL END, \(ms)
                    FROM events e JOIN payloads p ON p.event_seq = e.seq;
                INSERT INTO attempts (delivery_seq, attempted_at, response_status, response_time_ms)
                    SELECT seq, \(ms), 200, 5 FROM deliveries;
                """)

            try await store.migrate()

            for table in ["events", "payloads", "deliveries", "attempts"] {
                let where_ = try TestDatabase.query(url, "SELECT tableoid::regclass, COUNT(*) FROM \(table) GROUP BY 1")
                #expect(where_.trimmingCharacters(in: .whitespacesAndNewlines) == "\(table)_legacy|3", "\(table): \(where_)")
            }
            #expect(try await store.delivery(id: "del_old1")?.status == .success)
            // Migration 15 starts the counters from the rows, `_legacy`'s in their own shard.
            let counted = try await store.stats(endpointID: "wh_old", now: now)
            #expect(counted.total == 3 && counted.successful == 2 && counted.pending == 1 && counted.last30Days == 3)
            #expect(try TestDatabase.query(url, "SELECT DISTINCT shard FROM delivery_counts").contains("-1"))
            let claims = try await store.claimDue(
                ClaimRequest(
                    now: now.addingTimeInterval(1), limit: 10, leaseUntil: now.addingTimeInterval(60), owner: "t",
                    maxPerEndpoint: 10, inFlight: [:]))
            #expect(claims.map(\.id) == ["del_old3"], "pending work from before is still claimed")
            #expect(claims.first.map { String(decoding: $0.body, as: UTF8.self) } == #"{"old":true}"#)

            try await StoreTests.ingest(store, count: 2, at: now, tag: "new")
            let today = PostgresPartitions.name("deliveries", day: PostgresPartitions.day(ofMilliseconds: ms))
            let placed = try TestDatabase.query(url, "SELECT tableoid::regclass, COUNT(*) FROM deliveries GROUP BY 1 ORDER BY 1")
            #expect(placed.contains("\(today)|2"), "new rows go to today's partition: \(placed)")
            // Retention keeps `_legacy` while it holds rows younger than the cutoff.
            _ = try await store.purge(
                olderThan: now.addingTimeInterval(-86_400), keysExpiredBefore: now, batchSize: 100)
            #expect(try TestDatabase.query(url, "SELECT COUNT(*) FROM deliveries_legacy").contains("3"))
            // Legacy rows purged one by one come off the legacy shard's counts.
            _ = try await store.purge(olderThan: now.addingTimeInterval(1), keysExpiredBefore: now, batchSize: 100)
            let purged = try await store.stats(endpointID: "wh_old", now: now)
            let recounted = try await store.recountStats(endpointID: "wh_old", now: now)
            #expect(purged.total == 3 && purged.successful == 0, "1 legacy pending and 2 new are left")
            #expect(purged.total == recounted.total && purged.pending == recounted.pending)
            #expect(try await store.deleteEndpoint(id: "wh_old"))
            #expect(try TestDatabase.query(url, "SELECT COUNT(*) FROM attempts").trimmingCharacters(in: .whitespacesAndNewlines) == "0",
                "an endpoint's attempts go with it, though no foreign key ties them any more")
        }
    }

    /// Partition names and the day a sequence number stands for agree, in both directions.
    @Test func partitionNamesAndDaysRoundTrip() {
        for day in [Int64(0), 20_421, 20_422, 40_000] {
            let name = PostgresPartitions.name("deliveries", day: day)
            #expect(PostgresPartitions.day(ofPartition: name, table: "deliveries") == day)
        }
        #expect(PostgresPartitions.name("events", day: 20_421) == "events_20251129")
        #expect(PostgresPartitions.day(ofPartition: "deliveries_legacy", table: "deliveries") == nil)
        #expect(PostgresPartitions.day(ofPartition: "deliveries_20261399", table: "deliveries") == nil)
        #expect(PostgresPartitions.day(ofPartition: "events_20261129", table: "deliveries") == nil)
        #expect(PostgresPartitions.day(ofMilliseconds: 86_400_000 - 1) == 0)
        #expect(PostgresPartitions.day(ofMilliseconds: -1) == -1)
        // Far-future sequence numbers still fit a JavaScript number exactly.
        #expect(PostgresPartitions.firstSequence(ofDay: 1 << 20) < 1 << 53)
    }
}
