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
    /// Kept by the worker, not by updates through the API.
    public var health: EndpointHealth
    /// The secret before the last rotation, still signing (where a dialect carries several
    /// signatures) until `previousSecretExpiresAt`.
    public var previousSecret: String?
    public var previousSecretExpiresAt: Date?

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
        options: JSONValue = .object([]),
        health: EndpointHealth = .healthy,
        previousSecret: String? = nil,
        previousSecretExpiresAt: Date? = nil
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
        self.health = health
        self.previousSecret = previousSecret
        self.previousSecretExpiresAt = previousSecretExpiresAt
    }

    /// The health an API client sees: an endpoint an admin switched off is disabled, whatever
    /// the worker last saw.
    public var visibleHealth: EndpointHealth {
        guard !active else { return health }
        if health.state == .disabled { return health }
        return EndpointHealth(state: .disabled, reason: "disabled by an admin", since: updatedAt)
    }


    public var filter: EventFilter { EventFilter(patterns: events) }
}
