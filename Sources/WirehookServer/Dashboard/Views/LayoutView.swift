import Foundation
import Hummingbird
import WirehookCore

/// The frame around every page: navigation, who is signed in, the pending notice.
struct LayoutView {
    var title: String
    var prefix: String
    var signedIn: Bool
    var csrf: String
    var credential: String
    var canWrite: Bool
    var flash: String?
    var flashIsError: Bool
    // Stored, not computed: templates see a value's stored properties only.
    var inEndpoints: Bool
    var inEvents: Bool
    var inLive: Bool
    /// Seconds between reloads for browsers without JavaScript (the live page), or nil.
    var refresh: Int?
    var content: String
}
