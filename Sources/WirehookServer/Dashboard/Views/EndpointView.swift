import Foundation
import Hummingbird
import WirehookCore

/// One endpoint: settings, figures, charts, actions and a page of its delivery log.
struct EndpointView {
    var prefix: String
    var csrf: String
    var canWrite: Bool
    var id: String
    var name: String
    var path: String
    var url: String
    var description: String
    var format: String
    var events: String
    var active: Bool
    var health: String
    var healthReason: String?
    var consecutiveFailures: Int
    var nextProbe: String?
    var secret: String
    var secretRevealed: Bool
    var previousSecretUntil: String?
    var options: String?
    var total: Int
    var successful: Int
    var failed: Int
    var pending: Int
    var successRate: String
    var averageMs: Int?
    var dayChart: String
    var monthChart: String
    var statusOptions: [OptionView]
    var eventType: String
    var deliveries: [DeliveryRowView]
    var noDeliveries: Bool
    var shown: Int
    var matching: Int
    var nextPage: String?
    var recoverSince: String
}
