import Foundation
import Hummingbird
import WirehookCore

/// The confirmation before deleting an endpoint.
struct DeleteView {
    var prefix: String
    var csrf: String
    var id: String
    var url: String
}
