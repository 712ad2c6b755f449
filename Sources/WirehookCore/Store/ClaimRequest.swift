import struct Foundation.Date

/// Which due deliveries a worker may take now.
public struct ClaimRequest: Sendable {
    public var now: Date
    public var limit: Int
    public var leaseUntil: Date
    public var owner: String
    /// A cap per endpoint, counting what this worker already has in flight, so one slow endpoint
    /// cannot take every slot.
    public var maxPerEndpoint: Int
    /// Requests in flight per endpoint (a batch counts once).
    public var inFlight: [String: Int]
    /// Formats that send all due deliveries of an endpoint in one request: such an endpoint takes
    /// one slot and up to `maxBatchSize` deliveries, and only when it has nothing in flight.
    public var batchFormats: Set<String>
    public var maxBatchSize: Int
    /// Decides how much each endpoint may take from its health (breaker, disabled).
    public var health: HealthPolicy

    public init(
        now: Date, limit: Int, leaseUntil: Date, owner: String, maxPerEndpoint: Int, inFlight: [String: Int],
        batchFormats: Set<String> = [], maxBatchSize: Int = 1000,
        health: HealthPolicy = HealthPolicy(probeWaits: RetryPolicy.default.delays)
    ) {
        self.now = now
        self.limit = limit
        self.leaseUntil = leaseUntil
        self.owner = owner
        self.maxPerEndpoint = maxPerEndpoint
        self.inFlight = inFlight
        self.batchFormats = batchFormats
        self.maxBatchSize = maxBatchSize
        self.health = health
    }
}
