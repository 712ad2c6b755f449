import struct Foundation.Date

/// A leased delivery with everything needed to send it.
public struct ClaimedDelivery: Sendable {
    public var sequence: Int64
    public var id: String
    public var endpointID: String
    public var url: String
    public var format: String
    public var secret: String
    public var endpointOptions: JSONValue
    public var eventID: String
    public var eventType: String
    public var occurredAt: Date
    public var attempts: Int
    public var createdAt: Date
    public var body: [UInt8]

    public init(
        sequence: Int64, id: String, endpointID: String, url: String, format: String, secret: String,
        endpointOptions: JSONValue, eventID: String, eventType: String, occurredAt: Date, attempts: Int,
        createdAt: Date, body: [UInt8]
    ) {
        self.sequence = sequence
        self.id = id
        self.endpointID = endpointID
        self.url = url
        self.format = format
        self.secret = secret
        self.endpointOptions = endpointOptions
        self.eventID = eventID
        self.eventType = eventType
        self.occurredAt = occurredAt
        self.attempts = attempts
        self.createdAt = createdAt
        self.body = body
    }

    /// From the columns both stores select for a claim (times in milliseconds, options as text).
    public init(
        sequence: Int64, id: String, endpointID: String, url: String, format: String, secret: String,
        optionsText: String, eventID: String, eventType: String, occurredAtMs: Int64, attempts: Int64,
        createdAtMs: Int64, body: [UInt8]
    ) {
        self.init(
            sequence: sequence, id: id, endpointID: endpointID, url: url, format: format, secret: secret,
            endpointOptions: EndpointRow.options(fromText: optionsText), eventID: eventID, eventType: eventType,
            occurredAt: Timestamp.date(milliseconds: occurredAtMs), attempts: Int(clamping: attempts),
            createdAt: Timestamp.date(milliseconds: createdAtMs), body: body)
    }
}
