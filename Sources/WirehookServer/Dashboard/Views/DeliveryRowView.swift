import Foundation
import Hummingbird
import WirehookCore

/// One line of a delivery log.
struct DeliveryRowView {
    var id: String
    var path: String
    var eventType: String
    var status: String
    var attempts: Int
    var responseStatus: Int?
    var responseTimeMs: Int?
    var createdAt: String
    var note: String?

    init(_ delivery: Delivery, endpointPath: String) {
        id = delivery.id
        path = "/ui/endpoints/\(endpointPath)/deliveries/\(Dashboard<BasicRequestContext>.pathSegment(delivery.id))"
        eventType = delivery.eventType
        status = delivery.status.rawValue
        attempts = delivery.attempts
        responseStatus = delivery.responseStatus
        responseTimeMs = delivery.responseTimeMs
        createdAt = Timestamp.iso8601(delivery.createdAt)
        note = delivery.note
    }
}
