import struct Foundation.Date

/// Due work for the delivery worker: lease, record, release.
///
/// A lease is a due time in the future held by an owner: a crashed worker's deliveries simply
/// come due again when it passes.
public protocol DeliveryQueue: Sendable {
    /// Leases due deliveries following `ClaimPlan`'s rounds.
    func claimDue(_ request: ClaimRequest) async throws -> [ClaimedDelivery]
    /// Writes attempts and their consequences (`AttemptColumns`), and moves the endpoints'
    /// health by `health`'s rules in the same transaction; returns the changes. Deliveries that
    /// vanished meanwhile (their endpoint was deleted) are skipped, not an error.
    @discardableResult
    func record(_ results: [AttemptRecord], health: HealthPolicy) async throws -> [HealthChange]
    /// Starts the endpoint's health afresh (an admin enabled it) and makes its waiting
    /// deliveries due now, oldest first.
    func resume(endpointID: String, at date: Date) async throws
    /// Queues matching deliveries again (see `Requeue`); returns how many, in one statement.
    func requeue(_ requeue: Requeue) async throws -> Int
    /// Clears leases held by `owner` (or all leases when nil), e.g. after a restart.
    func releaseLeases(owner: String?) async throws
    /// Holds `owner`'s leases on these deliveries until `until`, for endpoints with a longer
    /// timeout than the lease was taken for.
    func extendLeases(_ sequences: [Int64], until: Date, owner: String) async throws
    /// The earliest time a pending delivery becomes due, for sleeping until then.
    func nextDueAt() async throws -> Date?
}
