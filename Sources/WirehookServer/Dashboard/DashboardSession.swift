import Foundation
import WirehookCore

/// One signed-in browser: what it signed in with and its CSRF token.
struct DashboardSession: Sendable {
    /// What the session was opened with. A key is kept by its hash and looked up on every
    /// request, so revoking it (or changing its scopes) takes effect at once.
    enum Credential: Sendable, Equatable {
        case adminToken
        case apiKey(hash: String)

        var stored: String {
            switch self {
            case .adminToken: return "admin"
            case .apiKey(let hash): return "key:" + hash
            }
        }

        init?(stored: String) {
            if stored == "admin" {
                self = .adminToken
            } else if stored.hasPrefix("key:"), stored.count > 4 {
                self = .apiKey(hash: String(stored.dropFirst(4)))
            } else {
                return nil
            }
        }
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
}
