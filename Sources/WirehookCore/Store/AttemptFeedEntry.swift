import struct Foundation.Date

/// One finished attempt as the live feed shows it (`GET /deliveries/stream`, `wirehook tail`).
///
/// `cursor` is the attempt's row sequence: it orders the feed, and a client that reconnects
/// with the last cursor it saw resumes right after it.
public struct AttemptFeedEntry: Sendable, Equatable {
    public var cursor: Int64
    public var attemptedAt: Date
    public var endpointID: String
    public var deliveryID: String
    public var eventID: String
    public var eventType: String
    /// 1 for the delivery's first attempt.
    public var attemptNumber: Int
    public var responseStatus: Int?
    public var responseTimeMs: Int
    public var error: String?
    public var trigger: AttemptTrigger
    /// The delivery's status now, which may be later than this attempt.
    public var deliveryStatus: Delivery.Status

    public init(
        cursor: Int64, attemptedAt: Date, endpointID: String, deliveryID: String, eventID: String, eventType: String,
        attemptNumber: Int, responseStatus: Int?, responseTimeMs: Int, error: String?, trigger: AttemptTrigger,
        deliveryStatus: Delivery.Status
    ) {
        self.cursor = cursor
        self.attemptedAt = attemptedAt
        self.endpointID = endpointID
        self.deliveryID = deliveryID
        self.eventID = eventID
        self.eventType = eventType
        self.attemptNumber = attemptNumber
        self.responseStatus = responseStatus
        self.responseTimeMs = responseTimeMs
        self.error = error
        self.trigger = trigger
        self.deliveryStatus = deliveryStatus
    }

    public var succeeded: Bool { Attempt.succeeded(status: responseStatus, error: error) }
}
