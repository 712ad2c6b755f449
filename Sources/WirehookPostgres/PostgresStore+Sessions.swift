import Foundation
import PostgresNIO
import WirehookCore

extension PostgresStore: DashboardSessionStore {
    public func insertSession(_ session: DashboardSessionRecord) async throws {
        let createdAt = Timestamp.milliseconds(session.createdAt)
        let lastSeen = Timestamp.milliseconds(session.lastSeen)
        try await client.query(
            """
            INSERT INTO dashboard_sessions (id_hash, credential, csrf_token, created_at, last_seen)
            VALUES (\(session.idHash), \(session.credential), \(session.csrfToken), \(createdAt), \(lastSeen))
            """, logger: logger)
    }

    public func touchSession(idHash: String, activeSince: Date, now: Date) async throws -> DashboardSessionRecord? {
        let since = Timestamp.milliseconds(activeSince)
        let nowMs = Timestamp.milliseconds(now)
        let rows = try await client.query(
            """
            UPDATE dashboard_sessions SET last_seen = \(nowMs) WHERE id_hash = \(idHash) AND last_seen >= \(since)
            RETURNING credential, csrf_token, created_at
            """, logger: logger)
        for try await (credential, csrf, createdAt) in rows.decode((String, String, Int64).self) {
            return DashboardSessionRecord(
                idHash: idHash, credential: credential, csrfToken: csrf,
                createdAt: Timestamp.date(milliseconds: createdAt), lastSeen: now)
        }
        return nil
    }

    public func setSessionFlash(idHash: String, message: String?, isError: Bool) async throws {
        try await client.query(
            "UPDATE dashboard_sessions SET flash = \(message), flash_is_error = \(isError) WHERE id_hash = \(idHash)",
            logger: logger)
    }

    public func takeSessionFlash(idHash: String) async throws -> (message: String, isError: Bool)? {
        // The old values come from the locked row, so two pages loading at once show the notice once.
        let rows = try await client.query(
            """
            WITH old AS (
                SELECT id_hash, flash, flash_is_error FROM dashboard_sessions
                WHERE id_hash = \(idHash) AND flash IS NOT NULL FOR UPDATE)
            UPDATE dashboard_sessions s SET flash = NULL FROM old WHERE s.id_hash = old.id_hash
            RETURNING old.flash, old.flash_is_error
            """, logger: logger)
        for try await (message, isError) in rows.decode((String, Bool).self) { return (message, isError) }
        return nil
    }

    public func deleteSession(idHash: String) async throws {
        try await client.query("DELETE FROM dashboard_sessions WHERE id_hash = \(idHash)", logger: logger)
    }

    public func deleteSessions(idleBefore cutoff: Date) async throws -> Int {
        let ms = Timestamp.milliseconds(cutoff)
        let rows = try await client.query(
            "DELETE FROM dashboard_sessions WHERE last_seen < \(ms) RETURNING 1", logger: logger)
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }
}
