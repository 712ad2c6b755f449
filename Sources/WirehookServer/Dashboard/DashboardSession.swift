import Foundation
import WirehookCore

/// One signed-in browser: what it signed in with, its CSRF token and a message for the next page.
struct DashboardSession: Sendable {
    /// What the session was opened with. A key is kept by its hash and looked up on every
    /// request, so revoking it (or changing its scopes) takes effect at once.
    enum Credential: Sendable, Equatable {
        case adminToken
        case apiKey(hash: String)
    }

    /// A one-time notice shown on the page after a redirect (post/redirect/get).
    struct Flash: Sendable, Equatable {
        var message: String
        var isError: Bool
    }

    var credential: Credential
    /// Random, per session; every form carries it and every POST must return it.
    var csrfToken: String
    var lastSeen: Date
    var flash: Flash?
}
