import struct Foundation.Date

/// What `wirehook doctor` reports about a database: schema version, size and the oldest waiting delivery.
public struct DatabaseStatus: Sendable, Equatable {
    /// Migration names this build knows, in order.
    public var knownMigrations: [String]
    /// Migration names recorded in the database.
    public var appliedMigrations: [String]
    /// Bytes on disk, when the database can tell.
    public var sizeBytes: Int64?
    public var pendingDeliveries: Int
    /// When the oldest delivery still waiting for an attempt was created.
    public var oldestPendingAt: Date?

    public init(
        knownMigrations: [String], appliedMigrations: [String], sizeBytes: Int64?, pendingDeliveries: Int,
        oldestPendingAt: Date?
    ) {
        self.knownMigrations = knownMigrations
        self.appliedMigrations = appliedMigrations
        self.sizeBytes = sizeBytes
        self.pendingDeliveries = pendingDeliveries
        self.oldestPendingAt = oldestPendingAt
    }

    /// Migrations this build needs that the database does not have yet.
    public var missingMigrations: [String] {
        let applied = Set(appliedMigrations)
        return knownMigrations.filter { !applied.contains($0) }
    }

    /// Migrations recorded by a newer build than this one.
    public var unknownMigrations: [String] {
        let known = Set(knownMigrations)
        return appliedMigrations.filter { !known.contains($0) }.sorted()
    }
}

/// A store that can describe itself for diagnostics.
public protocol StoreInspection: Sendable {
    func status() async throws -> DatabaseStatus
}
