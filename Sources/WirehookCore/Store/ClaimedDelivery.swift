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
    /// The `traceparent` of the request that brought the event in (nil when tracing was off).
    public var traceParent: String?

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

    /// The endpoint half of claimed deliveries, opened once per endpoint and claim: opening the
    /// sealed URL and secrets and parsing the options for every delivery cost a claim more than
    /// its SQL did.
    public struct Target: Sendable {
        public var endpointID: String
        public var url: String
        public var format: String
        public var secret: String
        /// Only while the rotation's grace period lasts.
        public var previousSecret: String?
        public var options: JSONValue

        /// From the endpoint's row as stored (URL and secrets sealed by `secrets`).
        public init(_ row: EndpointRow, now: Date, secrets: SecretBox) throws(ConfigurationError) {
            let opened = try row.opened(with: secrets)
            let stillSigning = row.previousSecretUntilMs.map { Timestamp.milliseconds(now) < $0 } ?? false
            endpointID = row.id
            url = opened.url
            format = row.format
            secret = opened.secret
            previousSecret = stillSigning ? opened.previousSecret : nil
            options = EndpointRow.options(fromText: row.optionsText)
        }
    }

    /// From the delivery columns both stores select for a claim (times in milliseconds) and its
    /// endpoint's `Target`.
    public init(
        sequence: Int64, id: String, target: Target, eventID: String, eventType: String, occurredAtMs: Int64,
        attempts: Int64, scheduledAttempts: Int64, nextTrigger: String?, probe: Bool, createdAtMs: Int64,
        body: [UInt8], traceParent: String? = nil
    ) {
        self.init(
            sequence: sequence, id: id, endpointID: target.endpointID, url: target.url, format: target.format,
            secret: target.secret, endpointOptions: target.options, eventID: eventID, eventType: eventType,
            occurredAt: Timestamp.date(milliseconds: occurredAtMs), attempts: Int(clamping: attempts),
            scheduledAttempts: Int(clamping: scheduledAttempts),
            trigger: probe ? .probe : (nextTrigger.flatMap(AttemptTrigger.init(rawValue:)) ?? .schedule),
            createdAt: Timestamp.date(milliseconds: createdAtMs), body: body, previousSecret: target.previousSecret)
        self.traceParent = traceParent
    }

    /// The secret(s) to sign with: both during a rotation's grace period where the dialect
    /// carries several signatures, the current one alone otherwise.
    public func signingSecret(multipleSignatures: Bool) -> String {
        guard multipleSignatures, let previousSecret else { return secret }
        return secret + " " + previousSecret
    }
}
