import Foundation
import WirehookCore

/// Dashboard sessions, kept in the database (`DashboardSessionStore`) so that every process
/// behind one proxy shares them, and found by the SHA-256 of the cookie's value: the value
/// itself is never stored, so a copy of the database opens no session.
struct SessionStore: Sendable {
    let store: any DashboardSessionStore
    /// Sessions idle longer than this are gone.
    var idleTimeout: TimeInterval = 30 * 60

    /// Opens a session; returns the cookie value (shown to the browser only). Expired sessions
    /// are cleared on the way, so the table holds at most the sign-ins of one idle period.
    func open(_ credential: DashboardSession.Credential, now: Date) async throws -> String {
        _ = try await store.deleteSessions(idleBefore: now.addingTimeInterval(-idleTimeout))
        let id = RandomToken.make()
        try await store.insertSession(
            DashboardSessionRecord(
                idHash: HashID.of(id), credential: credential.stored, csrfToken: RandomToken.make(), createdAt: now,
                lastSeen: now))
        return id
    }

    /// The live session for a cookie value, its idle clock restarted; nil when unknown or expired.
    func session(id: String, now: Date) async throws -> DashboardSession? {
        guard
            let record = try await store.touchSession(
                idHash: HashID.of(id), activeSince: now.addingTimeInterval(-idleTimeout), now: now),
            let credential = DashboardSession.Credential(stored: record.credential)
        else { return nil }
        return DashboardSession(credential: credential, csrfToken: record.csrfToken, lastSeen: record.lastSeen)
    }

    /// Takes the pending notice, so it is shown once.
    func takeFlash(id: String) async throws -> DashboardSession.Flash? {
        try await store.takeSessionFlash(idHash: HashID.of(id)).map { .init(message: $0.message, isError: $0.isError) }
    }

    func setFlash(id: String, _ flash: DashboardSession.Flash) async throws {
        try await store.setSessionFlash(idHash: HashID.of(id), message: flash.message, isError: flash.isError)
    }

    func close(id: String) async throws {
        try await store.deleteSession(idHash: HashID.of(id))
    }
}

/// 32 random bytes, base64url: session ids and CSRF tokens.
enum RandomToken {
    static func make() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
