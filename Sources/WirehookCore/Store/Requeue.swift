import struct Foundation.Date

/// Deliveries of one endpoint to attempt again now, with a fresh retry schedule, marked manual.
public struct Requeue: Sendable {
    public var endpointID: String
    /// One delivery (retry), or every match of the filters below (recover).
    public var deliveryID: String?
    public var since: Date?
    public var until: Date?
    /// Only deliveries with this status; nil for any that has a body (skipped ones never do).
    public var status: Delivery.Status?
    public var now: Date

    public init(
        endpointID: String, deliveryID: String? = nil, since: Date? = nil, until: Date? = nil,
        status: Delivery.Status? = nil, now: Date
    ) {
        self.endpointID = endpointID
        self.deliveryID = deliveryID
        self.since = since
        self.until = until
        self.status = status
        self.now = now
    }
}
