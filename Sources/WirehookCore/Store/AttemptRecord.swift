import struct Foundation.Date

/// The result of one attempt and what it means for the delivery.
public struct AttemptRecord: Sendable {
    public enum Next: Sendable, Equatable {
        case delivered
        case retry(at: Date)
        case failed
    }

    public var deliverySequence: Int64
    public var endpointID: String
    public var attempt: Attempt
    public var next: Next
    /// False for a failed probe: while the breaker is open, failures are the endpoint's, and a
    /// delivery does not use up its retries on them.
    public var countsTowardSchedule: Bool
    /// The first delivery of the request this attempt went out in, when one request carried
    /// several (a batch): the endpoint's health counts the request once.
    public var requestSequence: Int64?

    public init(
        deliverySequence: Int64, endpointID: String, attempt: Attempt, next: Next, countsTowardSchedule: Bool = true,
        requestSequence: Int64? = nil
    ) {
        self.deliverySequence = deliverySequence
        self.endpointID = endpointID
        self.attempt = attempt
        self.next = next
        self.countsTowardSchedule = countsTowardSchedule
        self.requestSequence = requestSequence
    }
}
