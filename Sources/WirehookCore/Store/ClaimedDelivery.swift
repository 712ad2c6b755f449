import struct Foundation.Date

/// A leased delivery with everything needed to send it.
public struct ClaimedDelivery: Sendable {
    public var sequence: Int64
    public var id: String
    public var endpointID: String
    public var url: String
    public var format: String
    public var secret: String
    /// The secret before the last rotation, while its grace period lasts.
    public var previousSecret: String?
    public var endpointOptions: JSONValue
    public var eventID: String
    public var eventType: String
    public var occurredAt: Date
    public var attempts: Int
    /// Attempts that count toward the retry schedule (a manual requeue starts it afresh).
    public var scheduledAttempts: Int
    public var trigger: AttemptTrigger
    public var createdAt: Date
    public var body: [UInt8]

    public init(
        sequence: Int64, id: String, endpointID: String, url: String, format: String, secret: String,
        endpointOptions: JSONValue, eventID: String, eventType: String, occurredAt: Date, attempts: Int,
        scheduledAttempts: Int? = nil, trigger: AttemptTrigger = .schedule, createdAt: Date, body: [UInt8],
        previousSecret: String? = nil
    ) {
        self.sequence = sequence
        self.id = id
        self.endpointID = endpointID
        self.url = url
        self.format = format
        self.secret = secret
        self.previousSecret = previousSecret
        self.endpointOptions = endpointOptions
        self.eventID = eventID
        self.eventType = eventType
        self.occurredAt = occurredAt
        self.attempts = attempts
        self.scheduledAttempts = scheduledAttempts ?? attempts
        self.trigger = trigger
        self.createdAt = createdAt
        self.body = body
    }

    /// From the columns both stores select for a claim (times in milliseconds, options as text,
    /// URL and secrets as sealed by `secrets`).
    /// The previous secret comes along only while its grace period lasts.
    public init(
        sequence: Int64, id: String, endpointID: String, url: String, format: String, secret: String,
        previousSecret: String?, previousSecretUntilMs: Int64?, now: Date, optionsText: String, eventID: String,
        eventType: String, occurredAtMs: Int64, attempts: Int64, scheduledAttempts: Int64, nextTrigger: String?,
        probe: Bool, createdAtMs: Int64, body: [UInt8], secrets: SecretBox
    ) throws(ConfigurationError) {
        let url = try secrets.open(url)
        let secret = try secrets.open(secret)
        let previousSecret = try secrets.open(previousSecret)
        let stillSigning = previousSecretUntilMs.map { Timestamp.milliseconds(now) < $0 } ?? false
        self.init(
            sequence: sequence, id: id, endpointID: endpointID, url: url, format: format, secret: secret,
            endpointOptions: EndpointRow.options(fromText: optionsText), eventID: eventID, eventType: eventType,
            occurredAt: Timestamp.date(milliseconds: occurredAtMs), attempts: Int(clamping: attempts),
            scheduledAttempts: Int(clamping: scheduledAttempts),
            trigger: probe ? .probe : (nextTrigger.flatMap(AttemptTrigger.init(rawValue:)) ?? .schedule),
            createdAt: Timestamp.date(milliseconds: createdAtMs), body: body,
            previousSecret: stillSigning ? previousSecret : nil)
    }

    /// The secret(s) to sign with: both during a rotation's grace period where the dialect
    /// carries several signatures, the current one alone otherwise.
    public func signingSecret(multipleSignatures: Bool) -> String {
        guard multipleSignatures, let previousSecret else { return secret }
        return secret + " " + previousSecret
    }
}
