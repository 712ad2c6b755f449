/// What one attempt writes: an `attempts` row, and the new state of its delivery.
///
/// Times are milliseconds; `nil` is SQL NULL. The delivery is only updated while still
/// `pending`, so a late result cannot undo a finished delivery.
public struct AttemptColumns: Sendable, Equatable {
    public var deliverySequence: Int64
    public var attemptedAtMs: Int64
    public var responseStatus: Int64?
    public var responseTimeMs: Int64
    public var error: String?
    public var responseBody: [UInt8]
    /// The delivery's status after this attempt.
    public var status: Delivery.Status
    /// When the next attempt is due; nil unless still pending.
    public var nextAttemptAtMs: Int64?
    /// Set on success only; an earlier value is otherwise kept.
    public var deliveredAtMs: Int64?
    public var trigger: String
    /// Added to the delivery's `scheduled_attempts`, the count its retry schedule goes by.
    public var scheduleIncrement: Int64

    public init(_ record: AttemptRecord) {
        let attempt = record.attempt
        deliverySequence = record.deliverySequence
        attemptedAtMs = Timestamp.milliseconds(attempt.attemptedAt)
        responseStatus = attempt.responseStatus.map { Int64($0) }
        // Latencies past Int32 would not fit the column; a day is plenty to say "very slow".
        responseTimeMs = Int64(min(max(attempt.responseTimeMs, 0), 86_400_000))
        error = attempt.error
        responseBody = attempt.responseBody
        trigger = attempt.trigger.rawValue
        scheduleIncrement = record.countsTowardSchedule ? 1 : 0
        switch record.next {
        case .delivered:
            status = .success
            nextAttemptAtMs = nil
            deliveredAtMs = attemptedAtMs
        case .retry(let at):
            status = .pending
            nextAttemptAtMs = Timestamp.milliseconds(at)
            deliveredAtMs = nil
        case .failed:
            status = .failed
            nextAttemptAtMs = nil
            deliveredAtMs = nil
        }
    }
}
