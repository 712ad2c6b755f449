import struct Foundation.Date

/// The deliveries one event fans out to, with each distinct body rendered once.
public struct DeliveryPlan: Sendable {
    public struct Item: Sendable {
        public var endpointID: String
        /// Index into `bodies`, or nil when the delivery is skipped.
        public var bodyIndex: Int?
        public var note: String?
        /// When the first attempt is due; nil means at once. Batching formats wait for their flush.
        public var dueAt: Date?

        public init(endpointID: String, bodyIndex: Int?, note: String? = nil, dueAt: Date? = nil) {
            self.endpointID = endpointID
            self.bodyIndex = bodyIndex
            self.note = note
            self.dueAt = dueAt
        }
    }

    public var bodies: [(format: String, bytes: [UInt8])]
    public var items: [Item]

    public init(bodies: [(format: String, bytes: [UInt8])] = [], items: [Item] = []) {
        self.bodies = bodies
        self.items = items
    }
}
