import struct Foundation.Date

/// A subscriber: where deliveries go, which events it wants, and the dialect it speaks.
public struct Endpoint: Sendable, Equatable {
    public var id: String
    public var url: String
    public var events: [String]
    public var description: String
    public var active: Bool
    public var format: String
    public var secret: String
    public var createdAt: Date
    public var updatedAt: Date
    /// Per-format settings (batch interval, chat id, custom types …) as a small JSON object.
    public var options: JSONValue

    public init(
        id: String,
        url: String,
        events: [String],
        description: String,
        active: Bool,
        format: String,
        secret: String,
        createdAt: Date,
        updatedAt: Date,
        options: JSONValue = .object([])
    ) {
        self.id = id
        self.url = url
        self.events = events
        self.description = description
        self.active = active
        self.format = format
        self.secret = secret
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.options = options
    }

    public var filter: EventFilter { EventFilter(patterns: events) }
}
