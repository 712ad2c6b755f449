import Foundation
import Hummingbird
import WirehookCore

/// A refusal or failure, with the API's message.
struct ErrorView {
    var status: Int
    var reason: String
    var message: String
}
