import PostgresNIO
import WirehookCore

extension PostgresStore: StoreInspection {
    public func status() async throws -> DatabaseStatus {
        var applied: [String] = []
        for try await version in try await client.query(
            "SELECT version FROM wirehook_migrations ORDER BY version", logger: logger
        ).decode(Int.self) {
            applied.append(String(version))
        }
        var size: Int64?
        for try await bytes in try await client.query("SELECT pg_database_size(current_database())", logger: logger)
            .decode(Int64.self)
        {
            size = bytes
        }
        var pending = 0
        var oldest: Int64?
        for try await (count, first) in try await client.query(
            "SELECT COUNT(*), MIN(created_at) FROM deliveries WHERE status = 'pending'", logger: logger
        ).decode((Int64, Int64?).self) {
            pending = Int(clamping: count)
            oldest = first
        }
        return DatabaseStatus(
            knownMigrations: PostgresSchema.migrations.map { String($0.version) }, appliedMigrations: applied,
            sizeBytes: size, pendingDeliveries: pending, oldestPendingAt: oldest.map(Timestamp.date(milliseconds:)))
    }
}
