import struct Foundation.Date

/// Where accepted events and the deliveries they fan out to are written.
public protocol IngestStore: Sendable {
    /// Stores events and their deliveries in one transaction (see `IngestBatch` for the rules).
    /// `plan` picks endpoints and renders bodies; it runs inside the transaction so fan-out sees a
    /// consistent set of endpoints. An event id already stored within `Idempotency.window` is a
    /// duplicate, decided by the database's unique key, so concurrent writers accept it once.
    func ingest(_ events: [NewEvent], now: Date, plan: @Sendable (NewEvent, [Endpoint]) -> DeliveryPlan) async throws
        -> [IngestOutcome]
}
