import Foundation
import PostgresNIO
import WirehookCore

extension PostgresStore: APIKeyStore {
    public func insertAPIKey(_ key: APIKey) async throws {
        let createdAt = Timestamp.milliseconds(key.createdAt)
        let lastUsed = key.lastUsedAt.map(Timestamp.milliseconds)
        try await client.query(
            """
            INSERT INTO api_keys (id, name, scopes, key_hash, created_at, last_used_at)
            VALUES (\(key.id), \(key.name), \(key.scopesText), \(key.hash), \(createdAt), \(lastUsed))
            """, logger: logger)
    }

    public func apiKeys() async throws -> [APIKey] {
        let rows = try await client.query("SELECT * FROM api_keys ORDER BY created_at, id", logger: logger)
        var list: [APIKey] = []
        for try await row in rows { list.append(try Self.apiKey(from: row.makeRandomAccess())) }
        return list
    }

    public func apiKey(hash: String) async throws -> APIKey? {
        let rows = try await client.query("SELECT * FROM api_keys WHERE key_hash = \(hash)", logger: logger)
        // The first row is taken out of the loop before decoding: a throwing call returned from
        // inside `for try await` crashes the Swift 6.3 optimizer (coroutine splitting) in release builds.
        var first: PostgresRow?
        for try await row in rows {
            first = row
            break
        }
        guard let row = first else { return nil }
        return try Self.apiKey(from: row.makeRandomAccess())
    }

    public func deleteAPIKey(id: String) async throws -> Bool {
        let rows = try await client.query("DELETE FROM api_keys WHERE id = \(id) RETURNING id", logger: logger)
        var deleted = false
        for try await _ in rows { deleted = true }
        return deleted
    }

    public func touchAPIKey(id: String, at date: Date) async throws {
        let ms = Timestamp.milliseconds(date)
        try await client.query("UPDATE api_keys SET last_used_at = \(ms) WHERE id = \(id)", logger: logger)
    }

    static func apiKey(from row: PostgresRandomAccessRow) throws -> APIKey {
        APIKey(
            id: try row["id"].decode(String.self), name: try row["name"].decode(String.self),
            scopes: APIKey.scopes(fromText: try row["scopes"].decode(String.self)),
            hash: try row["key_hash"].decode(String.self),
            createdAt: Timestamp.date(milliseconds: try row["created_at"].decode(Int64.self)),
            lastUsedAt: try row["last_used_at"].decode(Int64?.self).map(Timestamp.date(milliseconds:)))
    }
}
