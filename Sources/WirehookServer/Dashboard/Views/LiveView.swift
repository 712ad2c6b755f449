import Foundation
import Hummingbird
import WirehookCore

/// The newest deliveries of every endpoint.
struct LiveView {
    var prefix: String
    var rows: [LiveRowView]
    var empty: Bool
}

/// One line of the live table.
struct LiveRowView {
    var time: String
    var endpoint: String
    var endpointPath: String
    var delivery: DeliveryRowView
}
