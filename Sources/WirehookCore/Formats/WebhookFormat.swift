import struct Foundation.Date

/// A webhook dialect: how an event becomes body bytes, and how one attempt is signed.
///
/// Bodies are rendered once per event and format at ingest; `headers` runs per attempt because
/// some dialects sign the attempt's time.
public protocol WebhookFormat: Sendable {
    var name: String { get }
    /// The body for this event, or a reason it has no counterpart in this dialect.
    func render(_ event: Event) -> Rendering
    func headers(for message: OutgoingMessage) -> [(String, String)]
    /// Why a secret cannot be used with this format, or nil when it can.
    func problem(withSecret secret: String) -> String?
    func generateSecret() -> String
}

/// The outcome of rendering an event in a dialect.
public enum Rendering: Sendable, Equatable {
    case body([UInt8])
    case skip(reason: String)
}

/// One attempt about to be sent: what `headers(for:)` signs.
public struct OutgoingMessage: Sendable {
    public var eventID: String
    public var eventType: String
    public var occurredAt: Date
    public var body: [UInt8]
    public var secret: String
    public var attemptedAt: Date

    public init(eventID: String, eventType: String, occurredAt: Date, body: [UInt8], secret: String, attemptedAt: Date) {
        self.eventID = eventID
        self.eventType = eventType
        self.occurredAt = occurredAt
        self.body = body
        self.secret = secret
        self.attemptedAt = attemptedAt
    }
}

extension WebhookFormat {
    public func generateSecret() -> String { SecretGenerator.whsec() }
}
