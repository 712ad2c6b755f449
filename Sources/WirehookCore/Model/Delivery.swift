import struct Foundation.Date

/// One event on its way to one endpoint, with the outcome of its latest attempt.
public struct Delivery: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case pending
        case success
        case failed
        /// The endpoint's dialect has no counterpart for this event; nothing is sent.
        case skipped
    }

    public var id: String
    public var sequence: Int64
    public var endpointID: String
    public var eventID: String
    public var eventType: String
    public var status: Status
    public var attempts: Int
    public var responseStatus: Int?
    public var responseTimeMs: Int?
    public var deliveredAt: Date?
    public var nextAttemptAt: Date?
    public var lastAttemptAt: Date?
    public var createdAt: Date
    public var eventData: JSONValue
    /// Why the delivery is skipped or failed, for the log.
    public var note: String?

    public init(
        id: String, sequence: Int64, endpointID: String, eventID: String, eventType: String, status: Status,
        attempts: Int, responseStatus: Int?, responseTimeMs: Int?, deliveredAt: Date?, nextAttemptAt: Date?,
        lastAttemptAt: Date?, createdAt: Date, eventData: JSONValue, note: String?
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
        self.deliveredAt = deliveredAt
        self.nextAttemptAt = nextAttemptAt
        self.lastAttemptAt = lastAttemptAt
        self.createdAt = createdAt
        self.eventData = eventData
        self.note = note
    }
}

/// Why an attempt was made.
public enum AttemptTrigger: String, Sendable, CaseIterable {
    /// The retry schedule (or the first attempt).
    case schedule
    /// An admin asked: retry, recover or redeliver.
    case manual
    /// The circuit breaker's one request to see whether a paused endpoint is back.
    case probe
}

/// One HTTP try of a delivery, as logged.
public struct Attempt: Sendable, Equatable {
    public var attemptedAt: Date
    public var responseStatus: Int?
    public var responseTimeMs: Int
    public var error: String?
    /// The first 4 KiB of the response body.
    public var responseBody: [UInt8]
    public var trigger: AttemptTrigger

    public init(
        attemptedAt: Date, responseStatus: Int?, responseTimeMs: Int, error: String?, responseBody: [UInt8],
        trigger: AttemptTrigger = .schedule
    ) {
        self.attemptedAt = attemptedAt
        self.responseStatus = responseStatus
        self.responseTimeMs = responseTimeMs
        self.error = error
        self.responseBody = responseBody
        self.trigger = trigger
    }
}

extension Attempt {
    /// The one rule for a receiver taking an attempt: a 2xx answer and no transport error.
    public static func succeeded(status: Int?, error: String?) -> Bool {
        guard error == nil, let status else { return false }
        return (200..<300).contains(status)
    }
}

/// Aggregate delivery figures for one endpoint.
public struct DeliveryStats: Sendable, Equatable {
    /// The first day `last30Days` counts (days since 1970, UTC): the last 30 calendar days,
    /// today included. Whole days, because the figures are kept per endpoint and day.
    public static func recentSinceDay(_ now: Date) -> Int64 {
        Timestamp.day(ofMilliseconds: Timestamp.milliseconds(now)) - 29
    }

    /// How many deliveries have `status` (all of them for nil); skipped ones are what the
    /// other counts leave.
    public func count(of status: Delivery.Status?) -> Int {
        switch status {
        case nil: total
        case .pending: pending
        case .success: successful
        case .failed: failed
        case .skipped: max(0, total - pending - successful - failed)
        }
    }

    /// The mean of `count` response times summing to `sum`, to the nearest millisecond.
    public static func averageMs(sum: Int64, count: Int64) -> Int? {
        guard count > 0 else { return nil }
        return Int(saturating: (Double(sum) / Double(count)).rounded())
    }

    public var total: Int
    public var successful: Int
    public var failed: Int
    public var pending: Int
    public var lastSuccessful: Date?
    public var lastFailed: Date?
    public var lastDelivery: Date?
    public var averageResponseTimeMs: Int?
    public var last30Days: Int

    public init(
        total: Int = 0, successful: Int = 0, failed: Int = 0, pending: Int = 0, lastSuccessful: Date? = nil,
        lastFailed: Date? = nil, lastDelivery: Date? = nil, averageResponseTimeMs: Int? = nil, last30Days: Int = 0
    ) {
        self.total = total
        self.successful = successful
        self.failed = failed
        self.pending = pending
        self.lastSuccessful = lastSuccessful
        self.lastFailed = lastFailed
        self.lastDelivery = lastDelivery
        self.averageResponseTimeMs = averageResponseTimeMs
        self.last30Days = last30Days
    }
}
