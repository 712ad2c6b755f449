import Foundation
import GRDB
import WirehookCore

extension SQLiteStore: DashboardSessionStore {
    public func insertSession(_ session: DashboardSessionRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO dashboard_sessions (id_hash, credential, csrf_token, created_at, last_seen)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session.idHash, session.credential, session.csrfToken, Timestamp.milliseconds(session.createdAt),
                    Timestamp.milliseconds(session.lastSeen),
                ])
        }
    }

    public func touchSession(idHash: String, activeSince: Date, now: Date) async throws -> DashboardSessionRecord? {
        try await pool.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM dashboard_sessions WHERE id_hash = ? AND last_seen >= ?",
                    arguments: [idHash, Timestamp.milliseconds(activeSince)])
            else { return nil }
            try db.execute(
                sql: "UPDATE dashboard_sessions SET last_seen = ? WHERE id_hash = ?",
                arguments: [Timestamp.milliseconds(now), idHash])
            return DashboardSessionRecord(
                idHash: row["id_hash"], credential: row["credential"], csrfToken: row["csrf_token"],
                createdAt: Timestamp.date(milliseconds: row["created_at"]), lastSeen: now)
        }
    }

    public func setSessionFlash(idHash: String, message: String?, isError: Bool) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE dashboard_sessions SET flash = ?, flash_is_error = ? WHERE id_hash = ?",
                arguments: [message, isError, idHash])
        }
    }

    public func takeSessionFlash(idHash: String) async throws -> (message: String, isError: Bool)? {
        try await pool.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT flash, flash_is_error FROM dashboard_sessions WHERE id_hash = ? AND flash IS NOT NULL",
                    arguments: [idHash])
            else { return nil }
            try db.execute(sql: "UPDATE dashboard_sessions SET flash = NULL WHERE id_hash = ?", arguments: [idHash])
            return (row["flash"], row["flash_is_error"])
        }
    }

    public func deleteSession(idHash: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM dashboard_sessions WHERE id_hash = ?", arguments: [idHash])
        }
    }

    public func deleteSessions(idleBefore cutoff: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(
                sql: "DELETE FROM dashboard_sessions WHERE last_seen < ?", arguments: [Timestamp.milliseconds(cutoff)])
            return db.changesCount
        }
    }
}
