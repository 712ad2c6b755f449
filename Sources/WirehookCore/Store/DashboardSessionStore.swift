import struct Foundation.Date

/// Signed-in dashboard browsers, in the database, so every `wirehook serve` process behind one
/// proxy knows every session. A session is found by the SHA-256 of its cookie; the cookie's
/// value itself is never stored.
public protocol DashboardSessionStore: Sendable {
    func insertSession(_ session: DashboardSessionRecord) async throws
    /// The session, when it was last seen at or after `activeSince`; its last-seen time becomes `now`.
    func touchSession(idHash: String, activeSince: Date, now: Date) async throws -> DashboardSessionRecord?
    /// A notice for the session's next page (nil clears it).
    func setSessionFlash(idHash: String, message: String?, isError: Bool) async throws
    /// The pending notice, cleared in the same statement, so it is shown once.
    func takeSessionFlash(idHash: String) async throws -> (message: String, isError: Bool)?
    func deleteSession(idHash: String) async throws
    /// Deletes sessions last seen before `cutoff`; how many.
    func deleteSessions(idleBefore cutoff: Date) async throws -> Int
}

/// One dashboard session as stored.
public struct DashboardSessionRecord: Sendable, Equatable {
    public var idHash: String
    /// `admin` for the admin token, `key:<sha256>` for an API key (looked up again on each request).
    public var credential: String
    public var csrfToken: String
    public var createdAt: Date
    public var lastSeen: Date

    public init(idHash: String, credential: String, csrfToken: String, createdAt: Date, lastSeen: Date) {
        self.idHash = idHash
        self.credential = credential
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeen = lastSeen
    }
}
