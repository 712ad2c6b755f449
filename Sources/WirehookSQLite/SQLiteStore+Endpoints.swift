import Foundation
import GRDB
import WirehookCore

extension SQLiteStore: EndpointStore {
    public func insertEndpoint(_ endpoint: Endpoint) async throws {
        let row = EndpointRow(endpoint)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO endpoints (id, url, events, description, active, format, secret, options, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    row.id, row.url, row.eventsText, row.description, row.active, row.format, row.secret,
                    row.optionsText, row.createdAtMs, row.updatedAtMs,
                ])
        }
    }

    public func updateEndpoint(_ endpoint: Endpoint) async throws {
        let row = EndpointRow(endpoint)
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE endpoints SET url = ?, events = ?, description = ?, active = ?, format = ?, secret = ?,
                        options = ?, created_at = ?, updated_at = ?, previous_secret = ?, previous_secret_until = ?
                    WHERE id = ?
                    """,
                arguments: [
                    row.url, row.eventsText, row.description, row.active, row.format, row.secret, row.optionsText,
                    row.createdAtMs, row.updatedAtMs, row.previousSecret, row.previousSecretUntilMs, row.id,
                ])
        }
    }

    public func deleteEndpoint(id: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM endpoints WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func endpoint(id: String) async throws -> Endpoint? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM endpoints WHERE id = ?", arguments: [id]).map(Self.endpoint(from:))
        }
    }

    public func endpoints() async throws -> [Endpoint] {
        try await pool.read { db in try Self.allEndpoints(db) }
    }

    static func allEndpoints(_ db: Database) throws -> [Endpoint] {
        try Row.fetchAll(db, sql: "SELECT * FROM endpoints ORDER BY created_at, id").map(endpoint(from:))
    }

    static func endpoint(from row: Row) -> Endpoint { endpointRow(from: row).endpoint }

    static func endpointRow(from row: Row) -> EndpointRow {
        EndpointRow(
            id: row["id"], url: row["url"], eventsText: row["events"], description: row["description"],
            active: row["active"], format: row["format"], secret: row["secret"], optionsText: row["options"],
            createdAtMs: row["created_at"], updatedAtMs: row["updated_at"], healthState: row["health_state"],
            healthReason: row["health_reason"], consecutiveFailures: row["consecutive_failures"],
            healthSinceMs: row["health_since"], nextProbeAtMs: row["next_probe_at"],
            failingSinceMs: row["failing_since"], failedProbes: row["failed_probes"],
            previousSecret: row["previous_secret"], previousSecretUntilMs: row["previous_secret_until"])
    }
}
