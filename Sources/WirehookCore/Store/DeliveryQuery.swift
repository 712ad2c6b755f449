/// A page of one endpoint's delivery log, newest first.
public struct DeliveryQuery: Sendable {
    public var endpointID: String
    public var limit: Int
    /// Only deliveries older than this sequence number.
    public var before: Int64?
    public var status: Delivery.Status?
    /// Only deliveries of this exact (canonical) event type.
    public var eventType: String?

    public init(
        endpointID: String, limit: Int, before: Int64? = nil, status: Delivery.Status? = nil, eventType: String? = nil
    ) {
        self.endpointID = endpointID
        self.limit = limit
        self.before = before
        self.status = status
        self.eventType = eventType
    }
}

public struct DeliveryPage: Sendable {
    public var deliveries: [Delivery]
    public var total: Int
    public var hasMore: Bool

    public init(deliveries: [Delivery], total: Int, hasMore: Bool) {
        self.deliveries = deliveries
        self.total = total
        self.hasMore = hasMore
    }
}
