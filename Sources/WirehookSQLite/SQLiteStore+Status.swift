import GRDB
import WirehookCore

extension SQLiteStore: StoreInspection {
    public func status() async throws -> DatabaseStatus {
        try await pool.read { db in
            let migrator = SQLiteSchema.migrator
            let applied = try migrator.appliedIdentifiers(db)
            let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            let row = try Row.fetchOne(
                db, sql: "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM deliveries WHERE status = 'pending'")
            let oldest: Int64? = row?["oldest"]
            return DatabaseStatus(
                knownMigrations: migrator.migrations,
                appliedMigrations: migrator.migrations.filter(applied.contains) + applied.subtracting(migrator.migrations).sorted(),
                sizeBytes: pages.multipliedReportingOverflow(by: pageSize).overflow ? nil : pages * pageSize,
                pendingDeliveries: Int(clamping: (row?["n"] as Int64?) ?? 0),
                oldestPendingAt: oldest.map(Timestamp.date(milliseconds:)))
        }
    }
}
