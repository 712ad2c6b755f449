import struct Foundation.Date

/// The result of one attempt and what it means for the delivery.
public struct AttemptRecord: Sendable {
    public enum Next: Sendable, Equatable {
        case delivered
        case retry(at: Date)
        case failed
    }

    public var deliverySequence: Int64
    public var attempt: Attempt
    public var next: Next

    public init(deliverySequence: Int64, attempt: Attempt, next: Next) {
        self.deliverySequence = deliverySequence
        self.attempt = attempt
        self.next = next
    }
}
