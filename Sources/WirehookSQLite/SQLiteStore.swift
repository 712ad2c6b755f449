import Foundation
import GRDB
import WirehookCore

/// The embedded store: one SQLite file in WAL mode, written by one process.
///
/// Commits are synchronous (`synchronous=FULL`), so an acknowledged ingest survives a crash or
/// power loss. Ingest and attempt results arrive in batches to amortise the fsync. The rules live
/// in WirehookCore (`IngestBatch`, `ClaimPlan`, `AttemptColumns`, `EndpointRow`, `DeliveryRow`);
/// the extensions beside this file hold only SQL.
public struct SQLiteStore: Sendable {
    let pool: DatabasePool
    /// Seals endpoint URLs and secrets on the way in, opens them on the way out.
    let secrets: SecretBox

    public init(path: String, secrets: SecretBox = SecretBox()) throws {
        self.secrets = secrets
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        // GRDB switches a pool's writer to synchronous=NORMAL when it turns WAL on, after
        // `prepareDatabase` ran: without this line a commit (and so a 202) did not wait for the
        // disk, and a power loss could take acknowledged events with it.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        try SQLiteSchema.migrator.migrate(pool)
    }

    private init(pool: DatabasePool, secrets: SecretBox) {
        self.pool = pool
        self.secrets = secrets
    }

    /// Opens an existing database read-only and without migrating it, for `wirehook doctor`:
    /// it reports the schema as found, and never changes a database a server is using.
    public static func inspecting(path: String, secrets: SecretBox = SecretBox()) throws -> SQLiteStore {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        return SQLiteStore(pool: try DatabasePool(path: path, configuration: configuration), secrets: secrets)
    }
}

extension SQLiteStore {
    /// Runs `body` in one write transaction whose commit skips the fsync.
    ///
    /// Only for writes that need not survive a crash: a claim's leases are released at every
    /// start-up, so a lost claim costs nothing, and WAL frames are appended in order, so the next
    /// commit at `synchronous=FULL` (an ingest, a recorded attempt) flushes this one too. Every
    /// other write keeps `synchronous=FULL`: the setting is back before the writer is released.
    func writeWithoutFsync<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.writeWithoutTransaction { db in
            try db.cachedStatement(sql: "PRAGMA synchronous = NORMAL").execute()
            let result = Result<T, any Error> {
                var value: T?
                try db.inTransaction(.immediate) {
                    value = try body(db)
                    return .commit
                }
                return value!
            }
            do {
                try db.cachedStatement(sql: "PRAGMA synchronous = FULL").execute()
            } catch {
                // Setting a flag on an open connection does not fail in practice; if it ever did,
                // the next 202 could come before its fsync. Stopping is the safe answer: at the
                // next start every connection opens with FULL and the leases are released.
                preconditionFailure("could not restore synchronous=FULL on the SQLite writer: \(error)")
            }
            return try result.get()
        }
    }

    /// The writer connection's `synchronous` setting (2 is FULL), for tests.
    func writerSynchronousSetting() async throws -> Int {
        try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }
}

extension SQLiteStore: StoreMaintenance {
    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func purge(olderThan cutoff: Date, keysExpiredBefore: Date, batchSize: Int) async throws -> Int {
        let cutoffMs = Timestamp.milliseconds(cutoff)
        return try await pool.write { db in
            // A delivery is made when its event arrives, so old deliveries are found through old
            // events, oldest first (CROSS JOIN keeps that order); deliveries have no index on
            // their own creation time (migration "fewer-delivery-indexes").
            let gone = try Row.fetchCursor(
                db,
                sql: """
                    DELETE FROM deliveries WHERE seq IN (
                        SELECT d.seq FROM events e CROSS JOIN deliveries d ON d.event_seq = e.seq
                        WHERE e.received_at < ? AND d.created_at < ? AND d.status != 'pending' LIMIT ?)
                    RETURNING endpoint_id, created_at, status, response_time_ms
                    """, arguments: [cutoffMs, cutoffMs, batchSize])
            var counts = DeliveryCounts()
            var removed = 0
            while let row = try gone.next() {
                removed += 1
                counts.removed(
                    DeliveryCounts.key(endpointID: row["endpoint_id"], createdAtMs: row["created_at"]),
                    status: Delivery.Status(rawValue: row["status"]) ?? .failed, responseTimeMs: row["response_time_ms"])
            }
            try counts.write(db)
            try db.execute(
                sql: """
                    DELETE FROM events WHERE seq IN (
                        SELECT e.seq FROM events e WHERE e.received_at < ?
                        AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = e.seq) LIMIT ?)
                    """, arguments: [cutoffMs, batchSize])
            try db.execute(
                sql: "DELETE FROM event_keys WHERE id IN (SELECT id FROM event_keys WHERE expires_at < ? LIMIT ?)",
                arguments: [Timestamp.milliseconds(keysExpiredBefore), batchSize])
            return removed
        }
    }
}

extension SQLiteStore {
    /// `[1,2,3]`, bound as one parameter and read with `json_each`: a statement with a list of any
    /// length is then prepared once and cached, where an inline `IN (…)` was compiled (and its
    /// authorizer run) on every claim.
    static func jsonArray(_ values: some Sequence<Int64>) -> String {
        "[" + values.map(String.init).joined(separator: ",") + "]"
    }
}
