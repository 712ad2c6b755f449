import struct Foundation.Date

/// A canonical event: what happened, when, and its data with key order and number spelling kept.
public struct Event: Sendable, Equatable {
    /// The longest id a caller may give an event, in bytes (printable ASCII). Every route that
    /// takes an event id accepts this length, so an event accepted can always be named again.
    public static let maxIDLength = 255

    public var id: String
    public var type: String
    public var occurredAt: Date
    public var data: JSONValue
    /// Where it came from: `api`, `cli`, `test`, or a panel dialect such as `remnawave`.
    public var source: String
    /// Dialect-specific fields that are not data, e.g. Remnawave's `meta` or wg-portal's `identifier`.
    public var attributes: JSONValue

    public init(
        id: String,
        type: String,
        occurredAt: Date,
        data: JSONValue,
        source: String = "api",
        attributes: JSONValue = .object([])
    ) {
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.data = data
        self.source = source
        self.attributes = attributes
    }
}
