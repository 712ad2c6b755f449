import struct Foundation.Date

/// An endpoint as both stores keep it: JSON text for the lists, milliseconds for times.
public struct EndpointRow: Sendable, Equatable {
    public var id: String
    public var url: String
    public var eventsText: String
    public var description: String
    public var active: Bool
    public var format: String
    public var secret: String
    public var optionsText: String
    public var createdAtMs: Int64
    public var updatedAtMs: Int64

    public init(
        id: String, url: String, eventsText: String, description: String, active: Bool, format: String,
        secret: String, optionsText: String, createdAtMs: Int64, updatedAtMs: Int64
    ) {
        self.id = id
        self.url = url
        self.eventsText = eventsText
        self.description = description
        self.active = active
        self.format = format
        self.secret = secret
        self.optionsText = optionsText
        self.createdAtMs = createdAtMs
        self.updatedAtMs = updatedAtMs
    }

    public init(_ endpoint: Endpoint) {
        self.init(
            id: endpoint.id, url: endpoint.url, eventsText: JSONWriter.string(.array(endpoint.events.map { .string($0) })),
            description: endpoint.description, active: endpoint.active, format: endpoint.format,
            secret: endpoint.secret, optionsText: JSONWriter.string(endpoint.options),
            createdAtMs: Timestamp.milliseconds(endpoint.createdAt), updatedAtMs: Timestamp.milliseconds(endpoint.updatedAt))
    }

    /// A column edited by hand into something unreadable reads as empty rather than failing
    /// every listing.
    public var endpoint: Endpoint {
        let events = (try? JSONParser.parse(eventsText))?.arrayValue?.compactMap(\.stringValue) ?? []
        return Endpoint(
            id: id, url: url, events: events, description: description, active: active, format: format,
            secret: secret, createdAt: Timestamp.date(milliseconds: createdAtMs),
            updatedAt: Timestamp.date(milliseconds: updatedAtMs), options: Self.options(fromText: optionsText))
    }

    static func options(fromText text: String) -> JSONValue {
        (try? JSONParser.parse(text)) ?? .object([])
    }
}
