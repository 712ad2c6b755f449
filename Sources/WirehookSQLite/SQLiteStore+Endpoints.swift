import Foundation
import GRDB
import WirehookCore

extension SQLiteStore: EndpointStore {
    public func insertEndpoint(_ endpoint: Endpoint) async throws {
        let row = EndpointRow(endpoint).sealed(with: secrets)
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
        let row = EndpointRow(endpoint).sealed(with: secrets)
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
        let secrets = self.secrets
        return try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.endpointColumns) FROM endpoints WHERE id = ?", arguments: [id]).map {
                try Self.endpoint(from: $0, secrets: secrets)
            }
        }
    }

    public func endpoints() async throws -> [Endpoint] {
        let secrets = self.secrets
        return try await pool.read { db in try Self.allEndpoints(db, secrets: secrets) }
    }

    public func endpointSecrets(after id: String?, limit: Int) async throws -> [EndpointSecrets] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, url, secret, previous_secret FROM endpoints WHERE id > ? ORDER BY id LIMIT ?",
                arguments: [id ?? "", limit]
            ).map { row in
                EndpointSecrets(id: row["id"], url: row["url"], secret: row["secret"], previousSecret: row["previous_secret"])
            }
        }
    }

    public func writeEndpointSecrets(_ new: EndpointSecrets, replacing old: EndpointSecrets) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE endpoints SET url = ?, secret = ?, previous_secret = ?
                    WHERE id = ? AND url = ? AND secret = ? AND previous_secret IS ?
                    """,
                arguments: [new.url, new.secret, new.previousSecret, old.id, old.url, old.secret, old.previousSecret])
        }
    }

    static func allEndpoints(_ db: Database, secrets: SecretBox) throws -> [Endpoint] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT \(endpointColumns) FROM endpoints ORDER BY created_at, id")).map {
            try endpoint(from: $0, secrets: secrets)
        }
    }

    static func endpoint(from row: Row, secrets: SecretBox) throws -> Endpoint {
        try endpointRow(from: row).opened(with: secrets).endpoint
    }

    /// The columns `endpointRow(from:)` reads, in its order. By position: a look-up by name
    /// lowercases the name on every access, and claims and records read every endpoint each time.
    static let endpointColumns = """
        id, url, events, description, active, format, secret, options, created_at, updated_at, health_state,
        health_reason, consecutive_failures, health_since, next_probe_at, failing_since, failed_probes,
        previous_secret, previous_secret_until
        """

    /// A row selected as `endpointColumns`.
    static func endpointRow(from row: Row) -> EndpointRow {
        EndpointRow(
            id: row[0], url: row[1], eventsText: row[2], description: row[3], active: row[4], format: row[5],
            secret: row[6], optionsText: row[7], createdAtMs: row[8], updatedAtMs: row[9], healthState: row[10],
            healthReason: row[11], consecutiveFailures: row[12], healthSinceMs: row[13], nextProbeAtMs: row[14],
            failingSinceMs: row[15], failedProbes: row[16], previousSecret: row[17], previousSecretUntilMs: row[18])
    }
}
