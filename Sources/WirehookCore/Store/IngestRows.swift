/// What one ingest transaction writes, table by table, in insertion order.
public struct IngestRows: Sendable {
    public struct EventRow: Sendable {
        public var sequence: Int64
        public var id: String
        public var type: String
        public var occurredAtMs: Int64
        public var receivedAtMs: Int64
        public var source: String
        public var data: [UInt8]
        public var attributes: [UInt8]
        public var traceParent: String?
    }

    /// A rendered body, shared by every delivery of the event in that format.
    public struct PayloadRow: Sendable {
        public var eventSequence: Int64
        public var format: String
        public var body: [UInt8]
    }

    public struct DeliveryRow: Sendable {
        public var id: String
        public var endpointID: String
        public var eventSequence: Int64
        /// Index into `payloads`; nil for a skipped delivery.
        public var payloadIndex: Int?
        public var eventID: String
        public var eventType: String
        public var status: Delivery.Status
        public var nextAttemptAtMs: Int64?
        public var createdAtMs: Int64
        public var note: String?
        /// Why the first attempt is made, when not the schedule (a redelivery is manual).
        public var trigger: AttemptTrigger?
    }

    public var events: [EventRow] = []
    public var payloads: [PayloadRow] = []
    public var deliveries: [DeliveryRow] = []
    /// The answer for each event written, by its position in the submitted batch.
    var accepted: [Int: IngestOutcome] = [:]

    public var isEmpty: Bool { events.isEmpty }
}
