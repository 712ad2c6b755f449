import struct Foundation.Date

/// Due work for the delivery worker: lease, record, release.
///
/// A lease is a due time in the future held by an owner: a crashed worker's deliveries simply
/// come due again when it passes.
public protocol DeliveryQueue: Sendable {
    /// Leases due deliveries following `ClaimPlan`'s rounds.
    func claimDue(_ request: ClaimRequest) async throws -> [ClaimedDelivery]
    /// Writes attempts and their consequences (`AttemptColumns`); deliveries that vanished
    /// meanwhile (their endpoint was deleted) are skipped, not an error.
    func record(_ results: [AttemptRecord]) async throws
    /// Clears leases held by `owner` (or all leases when nil), e.g. after a restart.
    func releaseLeases(owner: String?) async throws
    /// Holds `owner`'s leases on these deliveries until `until`, for endpoints with a longer
    /// timeout than the lease was taken for.
    func extendLeases(_ sequences: [Int64], until: Date, owner: String) async throws
    /// The earliest time a pending delivery becomes due, for sleeping until then.
    func nextDueAt() async throws -> Date?
}
