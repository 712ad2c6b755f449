import Foundation
import GRDB
import WirehookCore

extension SQLiteStore: APIKeyStore {
    public func insertAPIKey(_ key: APIKey) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO api_keys (id, name, scopes, key_hash, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    key.id, key.name, key.scopesText, key.hash, Timestamp.milliseconds(key.createdAt),
                    key.lastUsedAt.map(Timestamp.milliseconds),
                ])
        }
    }

    public func apiKeys() async throws -> [APIKey] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY created_at, id").map(Self.apiKey(from:))
        }
    }

    public func apiKey(hash: String) async throws -> APIKey? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE key_hash = ?", arguments: [hash]).map(Self.apiKey(from:))
        }
    }

    public func deleteAPIKey(id: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM api_keys WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func touchAPIKey(id: String, at date: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE api_keys SET last_used_at = ? WHERE id = ?",
                arguments: [Timestamp.milliseconds(date), id])
        }
    }

    static func apiKey(from row: Row) -> APIKey {
        let lastUsed: Int64? = row["last_used_at"]
        return APIKey(
            id: row["id"], name: row["name"], scopes: APIKey.scopes(fromText: row["scopes"]), hash: row["key_hash"],
            createdAt: Timestamp.date(milliseconds: row["created_at"]),
            lastUsedAt: lastUsed.map(Timestamp.date(milliseconds:)))
    }
}
