/// An event as submitted, before it has been stored.
public struct NewEvent: Sendable {
    public var event: Event
    /// Whether the caller supplied the id (informational: every id, supplied or generated, is
    /// accepted once per idempotency window, so a resend of a generated id is recognised too).
    public var callerSuppliedID: Bool
    /// Deliver only to this endpoint, whatever its filter (the `/test` route).
    public var onlyEndpointID: String?
    /// A stored event sent again on request: its id is not checked for repeats, and its
    /// deliveries are marked manual.
    public var redelivery: Bool
    /// How long a resend of the id counts as a duplicate, when not `Idempotency.window`: a panel
    /// whose ids are derived from content (Marzban) gets just long enough to cover its retries.
    public var idempotencyWindow: Duration?
    /// The W3C `traceparent` of the request that brought the event in, when tracing is on, so
    /// each delivery attempt joins that trace however much later and wherever it runs.
    public var traceParent: String?
    /// The event's data and attributes as the store writes them, when serialized ahead of the
    /// store's transaction (`encodeForStorage`): inside it they would hold the single writer.
    public private(set) var encoded: (data: [UInt8], attributes: [UInt8])?

    /// Serializes data and attributes now, where requests run side by side, so the store's
    /// transaction only copies them. The event must not change afterwards.
    public mutating func encodeForStorage() {
        encoded = (JSONWriter.serialize(event.data), JSONWriter.serialize(event.attributes))
    }

    public init(
        event: Event, callerSuppliedID: Bool, onlyEndpointID: String? = nil, redelivery: Bool = false,
        idempotencyWindow: Duration? = nil, traceParent: String? = nil
    ) {
        self.traceParent = traceParent
        self.event = event
        self.callerSuppliedID = callerSuppliedID
        self.onlyEndpointID = onlyEndpointID
        self.redelivery = redelivery
        self.idempotencyWindow = idempotencyWindow
    }
}
