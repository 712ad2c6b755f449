import Foundation
import WirehookCore

/// Dashboard sessions, kept server-side and found by the SHA-256 of the cookie's value.
///
/// Held in memory: a restart signs everyone out, and several `wirehook serve` processes behind
/// one proxy need sticky sessions. The cookie value itself is never stored, so a memory dump
/// yields no usable session ids.
actor SessionStore {
    /// Sessions idle longer than this are gone.
    let idleTimeout: TimeInterval
    /// The oldest sessions make room beyond this, so sign-ins cannot grow memory without bound.
    let capacity: Int
    private var sessions: [String: DashboardSession] = [:]

    init(idleTimeout: TimeInterval = 30 * 60, capacity: Int = 10_000) {
        self.idleTimeout = idleTimeout
        self.capacity = capacity
    }

    /// Opens a session; returns the cookie value (shown to the browser only).
    func open(_ credential: DashboardSession.Credential, now: Date) -> String {
        dropExpired(now: now)
        if sessions.count >= capacity, let oldest = sessions.min(by: { $0.value.lastSeen < $1.value.lastSeen }) {
            sessions[oldest.key] = nil
        }
        let id = RandomToken.make()
        sessions[HashID.of(id)] = DashboardSession(
            credential: credential, csrfToken: RandomToken.make(), lastSeen: now, flash: nil)
        return id
    }

    /// The live session for a cookie value, its idle clock restarted; nil when unknown or expired.
    func session(id: String, now: Date) -> DashboardSession? {
        let key = HashID.of(id)
        guard var session = sessions[key] else { return nil }
        guard now.timeIntervalSince(session.lastSeen) <= idleTimeout else {
            sessions[key] = nil
            return nil
        }
        session.lastSeen = now
        sessions[key] = session
        return session
    }

    /// Takes the pending notice, so it is shown once.
    func takeFlash(id: String) -> DashboardSession.Flash? {
        let key = HashID.of(id)
        let flash = sessions[key]?.flash
        sessions[key]?.flash = nil
        return flash
    }

    func setFlash(id: String, _ flash: DashboardSession.Flash) {
        sessions[HashID.of(id)]?.flash = flash
    }

    func close(id: String) {
        sessions[HashID.of(id)] = nil
    }

    private func dropExpired(now: Date) {
        sessions = sessions.filter { now.timeIntervalSince($0.value.lastSeen) <= idleTimeout }
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
