import Foundation
import GRDB
import Logging
import PostgresNIO
import Testing
import WirehookCore
import WirehookPostgres
import WirehookSQLite

/// The store contract where the HTTP tests cannot reach it: retention and query plans. Runs on
/// SQLite, and on PostgreSQL in the PostgreSQL pass.
@Suite(.timeLimit(.minutes(3)))
struct StoreTests {
    /// Counts rows behind the store's back, to see what retention really removed.
    struct Tables {
        let count: @Sendable (String) async throws -> Int
    }

    static let logger = Logger(label: "store-test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs `body` on this pass's store: a fresh PostgreSQL database when the suite runs on
    /// PostgreSQL, a fresh SQLite file otherwise.
    static func withStore(_ body: (any WebhookStore, Tables, _ databaseURL: String?) async throws -> Void) async throws {
        try await withStores(1) { stores, tables, url in try await body(stores[0], tables, url) }
    }

    /// `count` independent stores on one database, each with its own connections, as separate
    /// processes would have them.
    static func withStores(
        _ count: Int, _ body: ([any WebhookStore], Tables, _ databaseURL: String?) async throws -> Void
    ) async throws {
        if let url = try TestDatabase.makeIfEnabled() {
            let clients = try (0..<count).map { _ in
                PostgresClient(configuration: try PostgresStore.configuration(url: url), backgroundLogger: logger)
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in clients { group.addTask { await client.run() } }
                let stores = clients.map { PostgresStore(client: $0, logger: logger) }
                try await stores[0].migrate()
                let tables = Tables { table in
                    Int(try TestDatabase.query(url, "SELECT COUNT(*) FROM \(table)").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
                }
                try await body(stores, tables, url)
                group.cancelAll()
            }
        } else {
            let path = TemporaryDirectory.make() + "/wirehook.sqlite"
            let stores = try (0..<count).map { _ in try SQLiteStore(path: path) }
            let reader = try DatabaseQueue(path: path)
            let tables = Tables { table in try await reader.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM \(table)") ?? -1 } }
            try await body(stores, tables, nil)
        }
    }

    static func endpoint(_ id: String, at date: Date) -> Endpoint {
        Endpoint(
            id: id, url: "http://127.0.0.1:9/\(id)", events: ["*"], description: "", active: true, format: "standard",
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", createdAt: date, updatedAt: date)
    }

    static func ingest(
        _ store: any WebhookStore, count: Int, at date: Date, tag: String, type: String = "user.created"
    ) async throws {
        let fanOut = FanOut(formats: .standard)
        let events = (0..<count).map { i in
            NewEvent(
                event: Event(
                    id: Identifier.make(prefix: "evt_", at: date), type: type, occurredAt: date,
                    data: ["tag": .string(tag), "i": .int(i)]),
                callerSuppliedID: false)
        }
        _ = try await store.ingest(events, now: date) { fanOut.plan($0, endpoints: $1, now: date) }
    }

    /// Leases up to 100 due deliveries for a minute, as one worker with room for all of them.
    static func claimUpTo100(_ store: any WebhookStore, at date: Date) async throws -> [ClaimedDelivery] {
        try await store.claimDue(
            ClaimRequest(
                now: date, limit: 100, leaseUntil: date.addingTimeInterval(60), owner: "t", maxPerEndpoint: 100,
                inFlight: [:]))
    }

    static let health = HealthPolicy(breakerThreshold: 0, disableAfter: nil, probeWaits: [.seconds(1)])

    static func attempt(at date: Date, status: Int) -> Attempt {
        Attempt(attemptedAt: date, responseStatus: status, responseTimeMs: 12, error: nil, responseBody: Array("ok".utf8))
    }

    @Test func retentionDeletesOldFinishedWorkInSmallBatchesAndKeepsPendingWork() async throws {
        try await Self.withStore { store, tables, _ in
            let old = Date(timeIntervalSince1970: 1_790_000_000)
            let now = old.addingTimeInterval(40 * 86_400)
            try await store.insertEndpoint(Self.endpoint("wh_retention", at: old))
            try await Self.ingest(store, count: 30, at: old, tag: "old")
            try await Self.ingest(store, count: 5, at: now, tag: "new")

            // 40 days ago: 20 delivered, 5 failed for good, 5 still pending (leased, never recorded).
            let oldClaims = try await Self.claimUpTo100(store, at: old.addingTimeInterval(1))
            #expect(oldClaims.count == 30)
            // The failures come first, so the endpoint is healthy again when the new work is claimed.
            let records = oldClaims.prefix(25).enumerated().map { i, claim in
                AttemptRecord(
                    deliverySequence: claim.sequence, endpointID: claim.endpointID,
                    attempt: Self.attempt(at: old.addingTimeInterval(i < 20 ? 1 : 0), status: i < 20 ? 200 : 500),
                    next: i < 20 ? .delivered : .failed)
            }
            try await store.record(records, health: Self.health)
            // Today: the new ones are delivered (the five old pending ones come due again too).
            let newClaims = try await Self.claimUpTo100(store, at: now.addingTimeInterval(1))
            let fresh = newClaims.filter { $0.createdAt >= now }
            #expect(fresh.count == 5)
            try await store.record(
                fresh.map {
                    AttemptRecord(
                        deliverySequence: $0.sequence, endpointID: $0.endpointID, attempt: Self.attempt(at: now, status: 200),
                        next: .delivered)
                }, health: Self.health)
            #expect(try await tables.count("attempts") == 30)

            let cutoff = now.addingTimeInterval(-30 * 86_400)
            var batches: [Int] = []
            repeat {
                batches.append(try await store.purge(olderThan: cutoff, keysExpiredBefore: cutoff, batchSize: 10))
            } while batches.last! > 0 && batches.count < 10
            #expect(batches == [10, 10, 5, 0], "25 finished old deliveries, ten at a time")
            #expect(try await tables.count("deliveries") == 10, "5 old pending + 5 new")
            #expect(try await tables.count("attempts") == 5, "only the new deliveries' attempts are left")
            #expect(try await tables.count("events") == 10, "events still needed by pending deliveries stay")
            #expect(try await tables.count("payloads") == 10)
            for claim in oldClaims.prefix(25) { #expect(try await store.delivery(id: claim.id) == nil) }
            for claim in oldClaims.suffix(5) { #expect(try await store.delivery(id: claim.id)?.status == .pending) }
        }
    }

    /// On PostgreSQL retention drops whole days (PostgresPartitions) instead of deleting rows:
    /// a day that still holds a pending delivery keeps it (and only its finished rows go, one by
    /// one); once that delivery is done, the day's four partitions go at once and no row is
    /// deleted. An insert that finds no partition for today makes it.
    @Test(.enabled(if: TestDatabase.baseURL != nil))
    func retentionDropsWholeDaysOnPostgreSQL() async throws {
        try await Self.withStore { store, tables, url in
            let url = try #require(url)
            // Real time: the day a row belongs to is the database's.
            let now = Date()
            try await store.insertEndpoint(Self.endpoint("wh_day", at: now))
            try await Self.ingest(store, count: 20, at: now, tag: "day")
            let claims = try await Self.claimUpTo100(store, at: now.addingTimeInterval(1))
            #expect(claims.count == 20)
            try await store.record(
                claims.enumerated().map { i, claim in
                    AttemptRecord(
                        deliverySequence: claim.sequence, endpointID: claim.endpointID,
                        attempt: Self.attempt(at: now, status: i == 0 ? 503 : 200),
                        next: i == 0 ? .retry(at: now.addingTimeInterval(3600)) : .delivered)
                }, health: Self.health)
            func partitions(of table: String) throws -> Set<String> {
                Set(
                    try TestDatabase.query(
                        url,
                        """
                        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                        JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = '\(table)'
                        """
                    ).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
            }
            let today = try TestDatabase.query(url, "SELECT tableoid::regclass FROM deliveries LIMIT 1")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let day = String(today.dropFirst("deliveries_".count))
            #expect(day.count == 8, "rows land in a day's partition, not \(today)")
            for table in ["events", "payloads", "deliveries", "attempts"] {
                #expect(try partitions(of: table).contains("\(table)_\(day)"))
            }

            // Two days on, today is past the cutoff, but one delivery of it is still pending.
            let later = now.addingTimeInterval(2 * 86_400)
            let removed = try await store.purge(olderThan: later, keysExpiredBefore: now, batchSize: 1000)
            #expect(removed == 19, "the finished rows of a day that must stay go one by one")
            #expect(try partitions(of: "deliveries").contains(today))
            for table in ["events", "payloads", "deliveries", "attempts"] {
                #expect(try partitions(of: table).contains("\(table)_legacy") == false, "an empty _legacy goes")
            }
            #expect(try await tables.count("deliveries") == 1)
            #expect(try await tables.count("attempts") == 1, "the pending delivery keeps its attempt log")
            #expect(try await tables.count("events") == 1)
            let held = try await store.stats(endpointID: "wh_day", now: now)
            #expect(held.total == 1 && held.pending == 1 && held.successful == 0, "the counts lost the purged rows")
            #expect(held.total == (try await store.recountStats(endpointID: "wh_day", now: now)).total)

            let retry = try await Self.claimUpTo100(store, at: now.addingTimeInterval(3601))
            #expect(retry.count == 1)
            try await store.record(
                retry.map {
                    AttemptRecord(
                        deliverySequence: $0.sequence, endpointID: $0.endpointID,
                        attempt: Self.attempt(at: now.addingTimeInterval(3601), status: 200), next: .delivered)
                }, health: Self.health)
            // The pass makes today's partitions again (it keeps yesterday to a week on), so a
            // dropped day shows as a new table under the old name.
            func oids() throws -> String {
                try TestDatabase.query(
                    url,
                    "SELECT string_agg(to_regclass(t || '_\(day)')::oid::TEXT, ',' ORDER BY t) FROM unnest('{events,payloads,deliveries,attempts}'::TEXT[]) t"
                ).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let before = try oids().split(separator: ",")
            let again = try await store.purge(olderThan: later, keysExpiredBefore: now, batchSize: 1000)
            let after = try oids().split(separator: ",")
            #expect(before.count == 4 && after.count == 4)
            for (old, new) in zip(before, after) { #expect(old != new, "every table's day was dropped") }
            #expect(again == 0, "nothing deleted row by row: the day was dropped")
            for table in ["events", "payloads", "deliveries", "attempts"] {
                #expect(try await tables.count(table) == 0, "\(table) is empty")
                #expect(try partitions(of: table).count >= 7, "the days ahead are still there")
            }
            #expect(try await tables.count("delivery_counts") == 0, "a dropped day's counts go with it")
            #expect(try await store.stats(endpointID: "wh_day", now: now) == DeliveryStats())

            // Today's partitions were made again by that pass; without them an ingest makes its own.
            _ = try TestDatabase.query(
                url, "DROP TABLE events_\(day), payloads_\(day), deliveries_\(day), attempts_\(day)")
            try await Self.ingest(store, count: 3, at: now, tag: "after")
            #expect(try await tables.count("deliveries") == 3)
            #expect(try await store.stats(endpointID: "wh_day", now: now).pending == 3)
            #expect(try partitions(of: "deliveries").contains(today))
        }
    }

    /// Claims read each endpoint's due rows on their own: an endpoint at its cap with a long
    /// backlog due first hides nothing, and an endpoint with room takes only up to its cap.
    @Test func aCappedEndpointsBacklogHidesNoOtherEndpointsWork() async throws {
        try await Self.withStore { store, _, _ in
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            var busy = Self.endpoint("wh_busy", at: now)
            busy.events = ["backlog.filled"]
            try await store.insertEndpoint(busy)
            for id in ["wh_a", "wh_b"] {
                var other = Self.endpoint(id, at: now)
                other.events = ["user.created"]
                try await store.insertEndpoint(other)
            }
            try await Self.ingest(store, count: 3000, at: now.addingTimeInterval(-60), tag: "old", type: "backlog.filled")
            try await Self.ingest(store, count: 20, at: now, tag: "new")
            #expect(try await store.nextDueAt() == now.addingTimeInterval(-60), "the earliest due time over all endpoints")
            func claim(owner: String, inFlight: [String: Int]) async throws -> [ClaimedDelivery] {
                try await store.claimDue(
                    ClaimRequest(
                        now: now, limit: 16, leaseUntil: now.addingTimeInterval(30), owner: owner, maxPerEndpoint: 6,
                        inFlight: inFlight))
            }
            let whileFull = try await claim(owner: "w1", inFlight: ["wh_busy": 6])
            #expect(whileFull.count == 12, "each of the two others up to its cap of 6")
            #expect(Dictionary(grouping: whileFull, by: \.endpointID).mapValues(\.count) == ["wh_a": 6, "wh_b": 6])
            let withRoom = try await claim(owner: "w2", inFlight: [:])
            let counts = Dictionary(grouping: withRoom, by: \.endpointID).mapValues(\.count)
            #expect(counts["wh_busy"] == 6, "the oldest work goes first, up to the endpoint's cap")
            #expect(withRoom.count == 16, "the rest of the slots go to the others' remaining work: \(counts)")
            #expect(Set(whileFull.map(\.sequence)).isDisjoint(with: withRoom.map(\.sequence)), "leased rows are not due")
        }
    }

    /// One claim of up to 10 due deliveries, with room for all of them, leased for `lease` seconds.
    static func claim(_ store: any WebhookStore, at now: Date, owner: String, lease: TimeInterval) async throws
        -> [ClaimedDelivery]
    {
        try await store.claimDue(
            ClaimRequest(
                now: now, limit: 10, leaseUntil: now.addingTimeInterval(lease), owner: owner, maxPerEndpoint: 10,
                inFlight: [:]))
    }

    @Test func leasesHoldUntilTheirDeadlineAndCanBeStretchedOnlyByTheirOwner() async throws {
        try await Self.withStore { store, _, _ in
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            try await store.insertEndpoint(Self.endpoint("wh_lease", at: now))
            try await Self.ingest(store, count: 2, at: now, tag: "lease")
            func claim(at date: Date, owner: String) async throws -> [ClaimedDelivery] {
                try await Self.claim(store, at: date, owner: owner, lease: 12)
            }
            let first = try await claim(at: now, owner: "a")
            #expect(first.count == 2)
            #expect(try await claim(at: now.addingTimeInterval(5), owner: "b").isEmpty, "leased rows are not due")
            // "a" stretches one lease for a slow endpoint; "b" cannot stretch what it does not hold.
            try await store.extendLeases([first[0].sequence], until: now.addingTimeInterval(70), owner: "a")
            try await store.extendLeases([first[1].sequence], until: now.addingTimeInterval(70), owner: "b")
            let afterExpiry = try await claim(at: now.addingTimeInterval(20), owner: "b")
            #expect(afterExpiry.map(\.sequence) == [first[1].sequence], "an expired lease is taken over, a stretched one is not")
            // b's lease ran out at +32; a's stretched one holds until +70.
            #expect(try await claim(at: now.addingTimeInterval(69), owner: "c").map(\.sequence) == [first[1].sequence])
            #expect(try await claim(at: now.addingTimeInterval(71), owner: "c").map(\.sequence) == [first[0].sequence])
        }
    }

    /// One endpoint with one delivery due at `now`, on PostgreSQL only: SQLite has one writer, so a
    /// claim's scan and lease are one step there and the races below cannot happen.
    static func withOneDueDeliveryOnPostgreSQL(
        _ body: (any WebhookStore, _ databaseURL: String, _ now: Date) async throws -> Void
    ) async throws {
        try await withStore { store, _, url in
            guard let url else { return }
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            try await store.insertEndpoint(endpoint("wh_race", at: now))
            try await ingest(store, count: 1, at: now, tag: "race")
            try await body(store, url, now)
        }
    }

    /// PostgreSQL: a lease does not change the delivery row, so a claim whose scan read the row
    /// before another process's lease committed gets past the row lock; the lease insert must
    /// then refuse it while that lease lives, and take it over once it has run out.
    @Test func aLeaseCommittedAfterAnotherClaimsScanStillHolds() async throws {
        try await Self.withOneDueDeliveryOnPostgreSQL { store, url, now in
            let delivery = try #require(try await Self.claim(store, at: now, owner: "a", lease: 30).first)
            let sources = try TestDatabase.query(
                url, "SELECT event_seq || ',' || payload_seq FROM deliveries WHERE seq = \(delivery.sequence)"
            ).trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",")
            try #require(sources.count == 2)
            // What the other process runs next, with the row its scan returned.
            func leaseAndLoad(at date: Date) throws -> String {
                let nowMs = Timestamp.milliseconds(date)
                return try TestDatabase.query(
                    url,
                    """
                    PREPARE q AS \(PostgresQueries.leaseAndLoad(
                        sequences: [delivery.sequence], events: [Int64(sources[0])!], payloads: [Int64(sources[1])!]));
                    EXECUTE q(\(nowMs + 30_000), 'b', \(nowMs));
                    """)
            }
            #expect(!(try leaseAndLoad(at: now.addingTimeInterval(5))).contains(delivery.id), "a's lease holds")
            #expect(try leaseAndLoad(at: now.addingTimeInterval(31)).contains(delivery.id), "a's lease ran out")
            let owner = try TestDatabase.query(url, "SELECT owner FROM delivery_leases WHERE seq = \(delivery.sequence)")
            #expect(owner.trimmingCharacters(in: .whitespacesAndNewlines) == "b")
        }
    }

    /// The one-statement claim (`PostgresQueries.claimDue`) scans and leases under one snapshot,
    /// so another process's lease committed meanwhile is invisible to its scan; the lease insert
    /// must still refuse the row. Here the other lease is inserted, uncommitted, before the claim
    /// starts: the claim's insert waits on it and then meets it committed.
    @Test func aOneStatementClaimLosesToALeaseCommittedDuringIt() async throws {
        try await Self.withOneDueDeliveryOnPostgreSQL { store, url, now in
            let seq = try TestDatabase.query(url, "SELECT seq FROM deliveries").trimmingCharacters(in: .whitespacesAndNewlines)
            let liveUntil = Timestamp.milliseconds(now) + 60_000
            // The other process, holding its lease uncommitted for a moment.
            let other = Process()
            other.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            other.arguments = [
                "psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-c",
                "BEGIN; INSERT INTO delivery_leases VALUES (\(seq), 'a', \(liveUntil)); SELECT pg_sleep(1.5); COMMIT;",
            ]
            try other.run()
            var waiting = false
            for _ in 0..<200 where !waiting {
                waiting = try TestDatabase.query(url, "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'")
                    .trimmingCharacters(in: .whitespacesAndNewlines) == "1"
                if !waiting { try await Task.sleep(for: .milliseconds(10)) }
            }
            try #require(waiting, "the other lease was never inserted")
            let taken = try await Self.claim(store, at: now.addingTimeInterval(5), owner: "b", lease: 30)
            other.waitUntilExit()
            #expect(other.terminationStatus == 0)
            #expect(taken.isEmpty, "a row under another process's live lease was claimed again")
            let owner = try TestDatabase.query(url, "SELECT owner FROM delivery_leases WHERE seq = \(seq)")
            #expect(owner.trimmingCharacters(in: .whitespacesAndNewlines) == "a")
        }
    }

    @Test func databaseURLsAreCheckedIncludingTheirTLSMode() throws {
        #expect(throws: ConfigurationError.self) { try PostgresStore.configuration(url: "mysql://x/db") }
        #expect(throws: ConfigurationError.self) { try PostgresStore.configuration(url: "postgres://h/db?sslmode=allow") }
        let plain = try PostgresStore.configuration(url: "postgres://u:p@db.example:6543/wh")
        #expect(plain.host == "db.example" && plain.port == 6543 && plain.database == "wh" && plain.username == "u")
        _ = try PostgresStore.configuration(url: "postgres://h/db?sslmode=verify-full")
    }

    /// Fills the database like a busy day (most deliveries finished, a few pending), then asks
    /// PostgreSQL how it would run every hot statement: none may scan a big table sequentially.
    static func submissions(_ ids: [String], at date: Date) -> [NewEvent] {
        ids.map { id in
            NewEvent(event: Event(id: id, type: "user.created", occurredAt: date, data: ["id": .string(id)]), callerSuppliedID: true)
        }
    }

    /// Two stores (two processes' worth of connections) and eight concurrent batches carrying the
    /// same twenty ids in different orders: the unique key lets each id in exactly once.
    @Test func concurrentSubmissionsOfOneIDAreAcceptedOnce() async throws {
        try await Self.withStores(2) { stores, tables, _ in
            let now = Date()
            try await stores[0].insertEndpoint(Self.endpoint("wh_race", at: now))
            let ids = (0..<20).map { "evt_race_\($0)" }
            let fanOut = FanOut(formats: .standard)
            let outcomes = try await withThrowingTaskGroup(of: [IngestOutcome].self) { group in
                for round in 0..<8 {
                    let store = stores[round % 2]
                    var order = ids
                    order.shuffle()
                    let events = Self.submissions(order, at: now)
                    group.addTask { try await store.ingest(events, now: now) { fanOut.plan($0, endpoints: $1, now: now) } }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(outcomes.count == 160)
            for id in ids {
                let mine = outcomes.filter { $0.eventID == id }
                #expect(mine.filter { !$0.duplicate }.count == 1, "\(id) accepted exactly once")
                #expect(mine.allSatisfy { $0.deliveries == 1 }, "every answer for \(id) reports its one delivery")
            }
            #expect(try await tables.count("events") == 20)
            #expect(try await tables.count("deliveries") == 20)
        }
    }

    /// A repeat inside one batch answers like a repeat of a stored id, on every store.
    @Test func aRepeatInsideOneBatchIsADuplicateWithTheFirstOnesCount() async throws {
        try await Self.withStore { store, tables, _ in
            let now = Date()
            try await store.insertEndpoint(Self.endpoint("wh_a", at: now))
            try await store.insertEndpoint(Self.endpoint("wh_b", at: now))
            let fanOut = FanOut(formats: .standard)
            let outcomes = try await store.ingest(Self.submissions(["evt_x", "evt_x", "evt_y"], at: now), now: now) {
                fanOut.plan($0, endpoints: $1, now: now)
            }
            #expect(outcomes.map(\.eventID) == ["evt_x", "evt_x", "evt_y"])
            #expect(outcomes.map(\.duplicate) == [false, true, false])
            #expect(outcomes.map(\.deliveries) == [2, 2, 2])
            #expect(outcomes[0].deliveryIDs.count == 2 && outcomes[1].deliveryIDs.isEmpty)
            let again = try await store.ingest(Self.submissions(["evt_y"], at: now), now: now) {
                fanOut.plan($0, endpoints: $1, now: now)
            }
            #expect(again == [IngestOutcome(eventID: "evt_y", deliveries: 2, duplicate: true)])
            #expect(try await tables.count("deliveries") == 4)
        }
    }

    /// The window is 24 hours: past it the same id is a new event, and retention drops old keys.
    @Test func anIDIsNewAgainAfterTheIdempotencyWindow() async throws {
        try await Self.withStore { store, tables, _ in
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            try await store.insertEndpoint(Self.endpoint("wh_window", at: start))
            let fanOut = FanOut(formats: .standard)
            func send(at date: Date) async throws -> IngestOutcome {
                try await store.ingest(Self.submissions(["evt_w"], at: date), now: date) {
                    fanOut.plan($0, endpoints: $1, now: date)
                }[0]
            }
            #expect(try await send(at: start).duplicate == false)
            #expect(try await send(at: start.addingTimeInterval(23 * 3600)).duplicate == true)
            #expect(try await send(at: start.addingTimeInterval(24 * 3600 + 1)).duplicate == false)
            #expect(try await send(at: start.addingTimeInterval(25 * 3600)).duplicate == true)
            #expect(try await tables.count("event_keys") == 1)
            _ = try await store.purge(
                olderThan: start, keysExpiredBefore: start.addingTimeInterval(49 * 3600 + 2), batchSize: 100)
            #expect(try await tables.count("event_keys") == 0)
        }
    }

    /// A submission may carry its own window (Marzban's content-derived ids get 15 minutes); the
    /// key expires with it, whatever the default.
    @Test func aSubmissionsOwnWindowDecidesWhenItsIDIsNewAgain() async throws {
        try await Self.withStore { store, tables, _ in
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            try await store.insertEndpoint(Self.endpoint("wh_short", at: start))
            let fanOut = FanOut(formats: .standard)
            func send(at date: Date) async throws -> IngestOutcome {
                let event = Event(id: "mz_same", type: "user.deleted", occurredAt: date, data: ["username": "bob"])
                return try await store.ingest(
                    [NewEvent(event: event, callerSuppliedID: true, idempotencyWindow: .seconds(900))], now: date
                ) { fanOut.plan($0, endpoints: $1, now: date) }[0]
            }
            #expect(try await send(at: start).duplicate == false)
            #expect(try await send(at: start.addingTimeInterval(540)).duplicate == true, "a panel retry 9 minutes on")
            #expect(try await send(at: start.addingTimeInterval(901)).duplicate == false, "a genuine repeat later")
            #expect(try await tables.count("events") == 2)
        }
    }

    @Test(.enabled(if: TestDatabase.baseURL != nil))
    func hotQueriesUseIndexesOnPostgreSQL() async throws {
        try await Self.withStore { store, _, url in
            let url = try #require(url)
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            for i in 0..<4 { try await store.insertEndpoint(Self.endpoint("wh_\(i)", at: now)) }
            // A quiet endpoint among busy ones: listing its log must not walk everyone else's.
            var quiet = Self.endpoint("wh_quiet", at: now)
            quiet.events = ["user.deleted"]
            try await store.insertEndpoint(quiet)
            for batch in 0..<5 {
                try await Self.ingest(store, count: 1000, at: now.addingTimeInterval(Double(batch)), tag: "b\(batch)")
            }
            try await Self.ingest(store, count: 5, at: now.addingTimeInterval(5), tag: "rare", type: "user.deleted")
            _ = try TestDatabase.query(
                url,
                """
                INSERT INTO attempts (delivery_seq, attempted_at, response_status, response_time_ms)
                    SELECT seq, created_at, 200, 10 FROM deliveries;
                UPDATE deliveries SET status = 'success', next_attempt_at = NULL, attempts = 1 WHERE seq % 50 != 0;
                """)
            _ = try TestDatabase.query(url, "VACUUM ANALYZE")
            let nowMs = Timestamp.milliseconds(now)
            let cutoff = nowMs - 30 * 86_400_000
            let arguments: [String: String] = [
                "due deliveries of endpoints": "(\(nowMs), '{wh_0,wh_1,wh_2,wh_3,wh_quiet}', '{48,48,48,48,48}')",
                "lease and load": "(\(nowMs + 60_000), 'worker_x', \(nowMs))",
                "claim": "(\(nowMs), '{wh_0,wh_1,wh_2,wh_3,wh_quiet}', '{48,48,48,48,48}', 64, 'worker_x', \(nowMs + 60_000))",
                "endpoint deliveries": "('wh_quiet', NULL, 9223372036854775807, 51, NULL)",
                "endpoint delivery count": "('wh_quiet', NULL, NULL)",
                "stored delivery counts": "('{evt_a,evt_b}')",
                "purge keys": "(\(nowMs - 86_400_000), 1000)",
                "delivery by id": "('del_x', 'wh_3')",
                "attempts of delivery": "(100)",
                "purge deliveries": "(\(cutoff), 1000, 3)",
                "purge events": "(\(cutoff), 1000)",
                "attempt feed": "(0, 500)",
                "record": #"('{1,2}', '{0,0}', '{200,-1}', '{3,3}', '{"",""}', '{"",""}', '{schedule,schedule}', '{success,failed}', '{-1,-1}', '{0,-1}', '{1,1}', 3, '{wh_0,wh_1}')"#,
            ]
            // The tables are partitioned by day (PostgresPartitions): the empty days around today
            // and `_legacy` cost nothing to scan, and each partition's index is named after its
            // parent's in the plan below, so the checks read as they would on one table.
            let empty = Set(
                try TestDatabase.query(url, "SELECT relname FROM pg_class WHERE relkind = 'r' AND relpages = 0")
                    .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
            var parentIndex: [String: String] = [:]
            for line in try TestDatabase.query(
                url,
                """
                SELECT c.relname || '|' || p.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                JOIN pg_class p ON p.oid = i.inhparent WHERE c.relkind = 'i'
                """
            ).split(separator: "\n") {
                let names = line.trimmingCharacters(in: .whitespaces).split(separator: "|").map(String.init)
                if names.count == 2 { parentIndex[names[0]] = names[1] }
            }
            #expect(parentIndex.values.contains("deliveries_pending_by_endpoint"), "the claim index is on every day")
            var report = ""
            for (name, sql) in PostgresQueries.hot {
                let explain =
                    arguments[name].map { "PREPARE q AS \(sql); EXPLAIN EXECUTE q\($0);" } ?? "EXPLAIN \(sql);"
                var plan = try TestDatabase.query(url, explain)
                for (partition, parent) in parentIndex { plan = plan.replacingOccurrences(of: " \(partition) ", with: " \(parent) ") }
                report += "-- \(name)\n\(plan)\n"
                let scans = plan.split(separator: "\n").filter { line in
                    guard let range = line.range(of: "Seq Scan on ") else { return false }
                    let table = line[range.upperBound...].prefix { $0 != " " }
                    return table != "endpoints" && !empty.contains(String(table))
                }
                #expect(scans.isEmpty, "\(name) scans a table: \(plan)")
                if name.hasPrefix("due deliveries") || name == "claim" {
                    #expect(plan.contains("deliveries_pending_by_endpoint"), "claims should probe each endpoint: \(plan)")
                }
                if name.hasPrefix("endpoint") {
                    #expect(plan.contains("deliveries_by_endpoint"), "\(name) should use the endpoint index: \(plan)")
                }
            }
            print("Query plans on 20,025 deliveries of 5,005 events:\n\(report)")
            // The claim runs inside `wirehook_claim_due` (migration 18): the statement checked
            // above must be the one the function holds, or a later edit would go untested.
            let holds = try TestDatabase.query(
                url,
                "SELECT strpos(prosrc, $claim$\(PostgresQueries.claimDue)$claim$) > 0 FROM pg_proc WHERE proname = 'wirehook_claim_due'"
            )
            #expect(holds.trimmingCharacters(in: .whitespacesAndNewlines) == "t", "the function holds another claim: \(holds)")
        }
    }

    /// The start-up re-encryption rewrites a row only if it still holds what was read, so an
    /// edit made in between by another process is not undone.
    @Test func resealingLeavesARowChangedInBetweenAlone() async throws {
        try await Self.withStore { store, _, _ in
            let now = Date()
            try await store.insertEndpoint(Self.endpoint("wh_a", at: now))
            let read = try #require(try await store.endpointSecrets(after: nil, limit: 10).first)
            var changed = try #require(try await store.endpoint(id: "wh_a"))
            changed.secret = "whsec_changedInBetween000000000000"
            try await store.updateEndpoint(changed)
            let stale = EndpointSecrets(id: "wh_a", url: "stale-url", secret: "stale", previousSecret: nil)
            try await store.writeEndpointSecrets(stale, replacing: read)
            #expect(try await store.endpoint(id: "wh_a")?.secret == "whsec_changedInBetween000000000000")
            // With the columns as they are now, the write goes through.
            let current = try #require(try await store.endpointSecrets(after: nil, limit: 10).first)
            try await store.writeEndpointSecrets(stale, replacing: current)
            #expect(try await store.endpoint(id: "wh_a")?.url == "stale-url")
        }
    }

    @Test func apiKeysAreStoredListedFoundByHashAndDeleted() async throws {
        try await Self.withStore { store, _, _ in
            let (key, secret) = APIKey.generate(name: "ci", scopes: [.webhooksRead, .eventsWrite], now: Date())
            try await store.insertAPIKey(key)
            let found = try #require(try await store.apiKey(hash: APIKey.hash(of: secret)))
            #expect(found.id == key.id && found.scopes == [.webhooksRead, .eventsWrite] && found.lastUsedAt == nil)
            #expect(found.matches(secret) && !found.matches(secret + "x"))
            #expect(try await store.apiKey(hash: APIKey.hash(of: secret + "x")) == nil)
            let used = Date(timeIntervalSince1970: 1_900_000_000)
            try await store.touchAPIKey(id: key.id, at: used)
            #expect(try await store.apiKeys().map(\.lastUsedAt) == [used])
            #expect(try await store.deleteAPIKey(id: key.id))
            #expect(try await !store.deleteAPIKey(id: key.id))
            #expect(try await store.apiKeys().isEmpty)
        }
    }
}
