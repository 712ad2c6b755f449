import Foundation
import Hummingbird
import WirehookCore

/// The sign-in form.
struct SignInView {
    var prefix: String
    var csrf: String
    var error: String?
    var signedOut: Bool
}
