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

    public init(event: Event, callerSuppliedID: Bool, onlyEndpointID: String? = nil, redelivery: Bool = false) {
        self.event = event
        self.callerSuppliedID = callerSuppliedID
        self.onlyEndpointID = onlyEndpointID
        self.redelivery = redelivery
    }
}
