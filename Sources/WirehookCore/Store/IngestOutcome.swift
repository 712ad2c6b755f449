/// What happened to one submitted event.
public struct IngestOutcome: Sendable, Equatable {
    public var eventID: String
    /// Deliveries that will be attempted (skipped ones are not counted); for a duplicate, those
    /// of the stored event.
    public var deliveries: Int
    public var duplicate: Bool
    public var deliveryIDs: [String]

    public init(eventID: String, deliveries: Int, duplicate: Bool, deliveryIDs: [String] = []) {
        self.eventID = eventID
        self.deliveries = deliveries
        self.duplicate = duplicate
        self.deliveryIDs = deliveryIDs
    }
}
