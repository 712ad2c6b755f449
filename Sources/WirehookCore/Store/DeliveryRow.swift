import struct Foundation.Date

/// A delivery's columns as both stores read them for the log, joined with its event's data.
public struct DeliveryRow: Sendable {
    public var id: String
    public var sequence: Int64
    public var endpointID: String
    public var eventID: String
    public var eventType: String
    public var status: String
    public var attempts: Int64
    public var responseStatus: Int64?
    public var responseTimeMs: Int64?
    public var deliveredAtMs: Int64?
    public var nextAttemptAtMs: Int64?
    public var lastAttemptAtMs: Int64?
    public var createdAtMs: Int64
    public var eventData: [UInt8]
    public var note: String?

    public init(
        id: String, sequence: Int64, endpointID: String, eventID: String, eventType: String, status: String,
        attempts: Int64, responseStatus: Int64?, responseTimeMs: Int64?, deliveredAtMs: Int64?,
        nextAttemptAtMs: Int64?, lastAttemptAtMs: Int64?, createdAtMs: Int64, eventData: [UInt8], note: String?
    ) {
        self.id = id
        self.sequence = sequence
        self.endpointID = endpointID
        self.eventID = eventID
        self.eventType = eventType
        self.status = status
        self.attempts = attempts
        self.responseStatus = responseStatus
        self.responseTimeMs = responseTimeMs
        self.deliveredAtMs = deliveredAtMs
        self.nextAttemptAtMs = nextAttemptAtMs
        self.lastAttemptAtMs = lastAttemptAtMs
        self.createdAtMs = createdAtMs
        self.eventData = eventData
        self.note = note
    }

    public var delivery: Delivery {
        let status = Delivery.Status(rawValue: status) ?? .pending
        return Delivery(
            id: id, sequence: sequence, endpointID: endpointID, eventID: eventID, eventType: eventType, status: status,
            attempts: Int(clamping: attempts), responseStatus: responseStatus.map { Int(clamping: $0) },
            responseTimeMs: responseTimeMs.map { Int(clamping: $0) },
            deliveredAt: deliveredAtMs.map(Timestamp.date(milliseconds:)),
            // A leased delivery's next_attempt_at is its lease deadline; only a pending one has a
            // next attempt worth showing.
            nextAttemptAt: status == .pending ? nextAttemptAtMs.map(Timestamp.date(milliseconds:)) : nil,
            lastAttemptAt: lastAttemptAtMs.map(Timestamp.date(milliseconds:)),
            createdAt: Timestamp.date(milliseconds: createdAtMs),
            eventData: (try? JSONParser.parse(eventData)) ?? .null, note: note)
    }
}
