import Foundation
import Hummingbird
import WirehookCore

/// The endpoint list.
struct EndpointsView {
    struct Row {
        var id: String
        var name: String
        var path: String
        var url: String
        var description: String
        var format: String
        var status: String
        var health: String
        var pending: Int
        var successRate: String
        var chart: String
    }
    var prefix: String
    var canWrite: Bool
    var rows: [Row]
    var empty: Bool
    var filtered: Bool
    var health: [OptionView]
}
