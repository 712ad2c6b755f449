import struct Foundation.Date

/// A webhook dialect: how an event becomes body bytes, and how one attempt becomes an HTTP request.
///
/// Bodies are rendered once per event and format at ingest and stored; `request(for:)` runs per
/// attempt because some dialects sign the attempt's time, count previous tries, or send many
/// stored bodies in one request.
public protocol WebhookFormat: Sendable {
    var name: String { get }
    /// The stored body for this event, or a reason it has no counterpart in this dialect.
    func render(_ event: Event) -> Rendering
    /// The request for one attempt of one or more stored bodies.
    func request(for outgoing: OutgoingRequest) -> PreparedRequest
    /// Headers for a single stored body (formats that do not override `request(for:)`).
    func headers(for message: OutgoingMessage) -> [(String, String)]
    /// Why a secret cannot be used with this format, or nil when it can.
    func problem(withSecret secret: String) -> String?
    func generateSecret() -> String
    /// Why an endpoint's `options` cannot be used, or nil.
    func problem(withOptions options: JSONValue) -> String?
    /// For dialects that send one request per flush (Marzban): the time between flushes.
    func batchInterval(options: JSONValue) -> Duration?
    /// Whether a request can carry a signature per secret (Standard Webhooks' `v1,… v1,…`), so
    /// a rotated-out secret can keep signing during its grace period.
    var signsWithEverySecret: Bool { get }
}

/// The outcome of rendering an event in a dialect.
public enum Rendering: Sendable, Equatable {
    case body([UInt8])
    case skip(reason: String)
}

/// One stored body on its way out.
public struct OutgoingItem: Sendable {
    public var eventID: String
    public var eventType: String
    public var occurredAt: Date
    public var body: [UInt8]
    /// Attempts made before this one (Marzban's `tries`).
    public var previousAttempts: Int

    public init(eventID: String, eventType: String, occurredAt: Date, body: [UInt8], previousAttempts: Int) {
        self.eventID = eventID
        self.eventType = eventType
        self.occurredAt = occurredAt
        self.body = body
        self.previousAttempts = previousAttempts
    }
}

/// Everything a format needs to build one attempt's request.
public struct OutgoingRequest: Sendable {
    public var endpointURL: String
    public var secret: String
    public var options: JSONValue
    public var items: [OutgoingItem]
    public var attemptedAt: Date

    public init(endpointURL: String, secret: String, options: JSONValue, items: [OutgoingItem], attemptedAt: Date) {
        self.endpointURL = endpointURL
        self.secret = secret
        self.options = options
        self.items = items
        self.attemptedAt = attemptedAt
    }
}

/// The HTTP request a format asks to send.
public struct PreparedRequest: Sendable {
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(url: String, headers: [(String, String)], body: [UInt8]) {
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A single stored body about to be signed.
public struct OutgoingMessage: Sendable {
    public var eventID: String
    public var eventType: String
    public var occurredAt: Date
    public var body: [UInt8]
    public var secret: String
    public var attemptedAt: Date
    public var options: JSONValue

    public init(
        eventID: String, eventType: String, occurredAt: Date, body: [UInt8], secret: String, attemptedAt: Date,
        options: JSONValue = .object([])
    ) {
        self.eventID = eventID
        self.eventType = eventType
        self.occurredAt = occurredAt
        self.body = body
        self.secret = secret
        self.attemptedAt = attemptedAt
        self.options = options
    }
}

extension WebhookFormat {
    public func generateSecret() -> String { SecretGenerator.whsec() }
    public func problem(withOptions options: JSONValue) -> String? { nil }
    public func batchInterval(options: JSONValue) -> Duration? { nil }
    public var signsWithEverySecret: Bool { false }
    public func headers(for message: OutgoingMessage) -> [(String, String)] { [] }

    public func request(for outgoing: OutgoingRequest) -> PreparedRequest {
        let item = outgoing.items[0]
        let headers = headers(
            for: OutgoingMessage(
                eventID: item.eventID, eventType: item.eventType, occurredAt: item.occurredAt, body: item.body,
                secret: outgoing.secret, attemptedAt: outgoing.attemptedAt, options: outgoing.options))
        return PreparedRequest(url: outgoing.endpointURL, headers: headers, body: item.body)
    }
}
