import struct Foundation.Date

/// Health and retention.
public protocol StoreMaintenance: Sendable {
    /// A trivial round trip, for health checks.
    func ping() async throws

    /// Deletes finished deliveries, their attempts and unreferenced events older than `cutoff`,
    /// and idempotency keys (and leases kept as rows) that expired before `keysExpiredBefore`,
    /// at most `batchSize` rows of each per call; returns how many deliveries went.
    func purge(olderThan cutoff: Date, keysExpiredBefore: Date, batchSize: Int) async throws -> Int
}
