import Foundation
import GRDB
import WirehookServer

/// Holds the store's write lock from another connection, so ingest really waits on the database
/// (no fake store): on SQLite an open `BEGIN IMMEDIATE` on the same file, on PostgreSQL an
/// `ACCESS EXCLUSIVE` lock on `events` held by a psql session.
final class StoreWriteLock: Sendable {
    private enum Holder: Sendable {
        case sqlite(DatabaseQueue)
        case postgres(url: String, applicationName: String, session: Task<Void, Never>)
    }

    private let holder: Holder

    private init(_ holder: Holder) { self.holder = holder }

    static func hold(_ configuration: ServerConfiguration) async throws -> StoreWriteLock {
        guard let url = configuration.databaseURL else {
            var grdb = Configuration()
            grdb.busyMode = .timeout(10)
            // The whole point is a transaction left open between two accesses.
            grdb.allowsUnsafeTransactions = true
            let queue = try DatabaseQueue(
                path: (configuration.dataDirectory as NSString).appendingPathComponent("wirehook.sqlite"),
                configuration: grdb)
            try queue.inDatabase { try $0.execute(sql: "BEGIN IMMEDIATE") }
            return StoreWriteLock(.sqlite(queue))
        }
        let applicationName = "wirehook_test_lock_\(UUID().uuidString.prefix(8).lowercased())"
        let script = "BEGIN; LOCK TABLE events IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120); COMMIT;"
        let session = Task {
            _ = try? await ChildProcess.run(
                "/usr/bin/env", ["PGAPPNAME=\(applicationName)", "psql", url, "-q", "-c", script])
        }
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            let granted = try TestDatabase.query(
                url,
                """
                SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                WHERE c.relname = 'events' AND l.mode = 'AccessExclusiveLock' AND l.granted
                """
            ).trimmingCharacters(in: .whitespacesAndNewlines)
            if granted == "1" {
                return StoreWriteLock(.postgres(url: url, applicationName: applicationName, session: session))
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("psql never took the lock on events")
    }

    func release() async throws {
        switch holder {
        case .sqlite(let queue):
            try queue.inDatabase { try $0.execute(sql: "COMMIT") }
            try queue.close()
        case .postgres(let url, let applicationName, let session):
            try TestDatabase.psql(
                url,
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(applicationName)'")
            await session.value
        }
    }
}
