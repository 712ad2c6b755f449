import struct Foundation.Date

/// Durable storage for endpoints, events, deliveries and attempts.
///
/// SQLite (embedded, one process) and PostgreSQL (many processes) implement it; both pass the
/// same test suite. Every method that returns is committed.
public protocol WebhookStore: Sendable {
    // MARK: Endpoints
    func insertEndpoint(_ endpoint: Endpoint) async throws
    func updateEndpoint(_ endpoint: Endpoint) async throws
    func deleteEndpoint(id: String) async throws -> Bool
    func endpoint(id: String) async throws -> Endpoint?
    func endpoints() async throws -> [Endpoint]
    func stats(endpointID: String, now: Date) async throws -> DeliveryStats

    // MARK: Ingest
    /// Stores events and their deliveries in one transaction. `plan` picks endpoints and renders bodies;
    /// it runs inside the transaction so fan-out sees a consistent set of endpoints.
    func ingest(_ events: [NewEvent], now: Date, plan: @Sendable (NewEvent, [Endpoint]) -> DeliveryPlan) async throws
        -> [IngestOutcome]

    // MARK: Worker
    func claimDue(_ request: ClaimRequest) async throws -> [ClaimedDelivery]
    func record(_ results: [AttemptRecord]) async throws
    /// Clears leases held by `owner` (or all leases when nil), e.g. after a restart.
    func releaseLeases(owner: String?) async throws
    /// Holds `owner`'s leases on these deliveries until `until`, for endpoints with a longer
    /// timeout than the lease was taken for.
    func extendLeases(_ sequences: [Int64], until: Date, owner: String) async throws
    /// The earliest time a pending delivery becomes due, for sleeping until then.
    func nextDueAt() async throws -> Date?

    // MARK: Reading the log
    func deliveries(_ query: DeliveryQuery) async throws -> DeliveryPage
    func delivery(endpointID: String, id: String) async throws -> (Delivery, [Attempt])?
    func delivery(id: String) async throws -> Delivery?

    // MARK: Housekeeping
    /// A trivial round trip, for health checks.
    func ping() async throws

    /// Deletes finished deliveries, their attempts and unreferenced events older than `cutoff`,
    /// at most `batchSize` rows per call; returns how many deliveries went.
    func purge(olderThan cutoff: Date, batchSize: Int) async throws -> Int
}

/// An event as submitted, before it has been stored.
public struct NewEvent: Sendable {
    public var event: Event
    /// Whether the caller supplied the id, so a repeat within the idempotency window is a duplicate.
    public var callerSuppliedID: Bool
    /// Deliver only to this endpoint, whatever its filter (the `/test` route).
    public var onlyEndpointID: String?

    public init(event: Event, callerSuppliedID: Bool, onlyEndpointID: String? = nil) {
        self.event = event
        self.callerSuppliedID = callerSuppliedID
        self.onlyEndpointID = onlyEndpointID
    }
}

/// The deliveries one event fans out to, with each distinct body rendered once.
public struct DeliveryPlan: Sendable {
    public struct Item: Sendable {
        public var endpointID: String
        /// Index into `bodies`, or nil when the delivery is skipped.
        public var bodyIndex: Int?
        public var note: String?
        /// When the first attempt is due; nil means at once. Batching formats wait for their flush.
        public var dueAt: Date?

        public init(endpointID: String, bodyIndex: Int?, note: String? = nil, dueAt: Date? = nil) {
            self.endpointID = endpointID
            self.bodyIndex = bodyIndex
            self.note = note
            self.dueAt = dueAt
        }
    }

    public var bodies: [(format: String, bytes: [UInt8])]
    public var items: [Item]

    public init(bodies: [(format: String, bytes: [UInt8])] = [], items: [Item] = []) {
        self.bodies = bodies
        self.items = items
    }
}

/// What happened to one submitted event.
public struct IngestOutcome: Sendable, Equatable {
    public var eventID: String
    public var deliveries: Int
    public var duplicate: Bool
    public var deliveryIDs: [String]

    public init(eventID: String, deliveries: Int, duplicate: Bool, deliveryIDs: [String] = []) {
        self.eventID = eventID
        self.deliveries = deliveries
        self.duplicate = duplicate
        self.deliveryIDs = deliveryIDs
    }
}

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

    public init(
        now: Date, limit: Int, leaseUntil: Date, owner: String, maxPerEndpoint: Int, inFlight: [String: Int],
        batchFormats: Set<String> = [], maxBatchSize: Int = 1000
    ) {
        self.now = now
        self.limit = limit
        self.leaseUntil = leaseUntil
        self.owner = owner
        self.maxPerEndpoint = maxPerEndpoint
        self.inFlight = inFlight
        self.batchFormats = batchFormats
        self.maxBatchSize = maxBatchSize
    }
}

/// A leased delivery with everything needed to send it.
public struct ClaimedDelivery: Sendable {
    public var sequence: Int64
    public var id: String
    public var endpointID: String
    public var url: String
    public var format: String
    public var secret: String
    public var endpointOptions: JSONValue
    public var eventID: String
    public var eventType: String
    public var occurredAt: Date
    public var attempts: Int
    public var createdAt: Date
    public var body: [UInt8]

    public init(
        sequence: Int64, id: String, endpointID: String, url: String, format: String, secret: String,
        endpointOptions: JSONValue, eventID: String, eventType: String, occurredAt: Date, attempts: Int,
        createdAt: Date, body: [UInt8]
    ) {
        self.sequence = sequence
        self.id = id
        self.endpointID = endpointID
        self.url = url
        self.format = format
        self.secret = secret
        self.endpointOptions = endpointOptions
        self.eventID = eventID
        self.eventType = eventType
        self.occurredAt = occurredAt
        self.attempts = attempts
        self.createdAt = createdAt
        self.body = body
    }
}

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

/// A page of one endpoint's delivery log, newest first.
public struct DeliveryQuery: Sendable {
    public var endpointID: String
    public var limit: Int
    /// Only deliveries older than this sequence number.
    public var before: Int64?
    public var status: Delivery.Status?

    public init(endpointID: String, limit: Int, before: Int64? = nil, status: Delivery.Status? = nil) {
        self.endpointID = endpointID
        self.limit = limit
        self.before = before
        self.status = status
    }
}

public struct DeliveryPage: Sendable {
    public var deliveries: [Delivery]
    public var total: Int
    public var hasMore: Bool

    public init(deliveries: [Delivery], total: Int, hasMore: Bool) {
        self.deliveries = deliveries
        self.total = total
        self.hasMore = hasMore
    }
}
