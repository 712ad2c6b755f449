/// How hard the delivery worker pushes.
public struct WorkerConfiguration: Sendable {
    /// Attempts in flight at once, over all endpoints.
    public var concurrency: Int
    /// Attempts in flight at once to one endpoint, so a slow receiver cannot starve the others.
    public var maxPerEndpoint: Int
    /// Per-attempt deadline for the whole HTTP exchange.
    public var timeout: Duration
    /// How often to look for due retries when nothing wakes the worker.
    public var pollInterval: Duration
    /// How long after a claim a delivery is held before another worker may take it.
    public var leaseMargin: Duration
    /// On graceful shutdown, how long in-flight attempts may take to finish.
    public var drainTimeout: Duration
    /// Results recorded in one transaction at most.
    public var recordBatchSize: Int
    /// Deadline of each store call (claim, record, lease); past it the worker stops waiting and
    /// pauses that kind of call.
    public var storeTimeout: Duration = .seconds(10)
    /// The longest pause between store calls after failures (the pause doubles up to it).
    public var maxStorePause: Duration = .seconds(5)
    /// Spans for claims and attempts (`TracingBootstrap`); off, the worker starts none.
    public var tracing = false

    public init(
        concurrency: Int = 64,
        maxPerEndpoint: Int? = nil,
        timeout: Duration = .seconds(10),
        pollInterval: Duration = .milliseconds(250),
        leaseMargin: Duration = .seconds(10),
        drainTimeout: Duration? = nil,
        recordBatchSize: Int = 256
    ) {
        self.concurrency = max(1, concurrency)
        self.maxPerEndpoint = max(1, maxPerEndpoint ?? max(1, (concurrency * 3) / 4))
        self.timeout = timeout
        self.pollInterval = pollInterval
        self.leaseMargin = leaseMargin
        self.drainTimeout = drainTimeout ?? (timeout + .seconds(1))
        self.recordBatchSize = recordBatchSize
    }
}
