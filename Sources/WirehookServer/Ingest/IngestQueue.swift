import Logging
import Metrics
import ServiceLifecycle
import Synchronization
import Tracing
import WirehookCore
import WirehookDelivery

/// Groups concurrent ingest requests into one transaction each, so one fsync covers many events.
///
/// A request waits for the commit that includes it; nothing is acknowledged before it is on disk.
/// What waits is bounded (`IngestLimits`): past the bound a request is refused with `overloaded`
/// at once, so a slow database costs clients a retry instead of costing the process its memory.
public final class IngestQueue: Service, Sendable {
    struct Job: Sendable {
        var id: Int
        var bytes: Int
        var submissions: [NewEvent]
        var continuation: CheckedContinuation<[IngestOutcome], any Error>
        /// The request's span, when tracing: the commit span links to it.
        var context: ServiceContext?
    }

    /// Jobs and what they hold. A job's share stays reserved from admission until its commit has
    /// returned, because until then its events are in memory.
    private struct State {
        var jobs: [Job] = []
        var requests = 0
        var bytes = 0
        var nextID = 0
        /// Jobs in the commit under way: too late to withdraw.
        var committing: Set<Int> = []
        /// Requests that gave up before their job was queued.
        var withdrawn: Set<Int> = []
    }

    /// What a request that gave up learns about its events.
    private enum Withdrawal {
        case notStored
        case maybeStored
    }

    static let overloadedRetryAfter: Duration = .seconds(2)
    static let unavailableRetryAfter: Duration = .seconds(5)

    let store: any WebhookStore
    let fanOut: FanOut
    let signal: WorkSignal
    let time: TimeSource
    let logger: Logger
    let maxBatch: Int
    let answerWithin: Duration
    let limits: IngestLimits
    /// Spans for commits, and each event's `traceparent` kept for its deliveries (`TracingBootstrap`).
    let tracing: Bool
    private let eventsAccepted = Counter(label: "wirehook_events_accepted_total")
    private let eventsDuplicate = Counter(label: "wirehook_events_duplicate_total")
    private let deliveriesCreated = Counter(label: "wirehook_deliveries_created_total")
    private let requestsRefused = Counter(
        label: "wirehook_ingest_refused_total", dimensions: [("reason", "queue_full")])
    private let state = Mutex(State())
    private let wake: AsyncStream<Void>.Continuation
    private let wakeups: AsyncStream<Void>

    public init(
        store: any WebhookStore, fanOut: FanOut, signal: WorkSignal, time: TimeSource, logger: Logger,
        maxBatch: Int = 2000, answerWithin: Duration = .seconds(30), limits: IngestLimits = IngestLimits(),
        tracing: Bool = false
    ) {
        self.tracing = tracing
        self.answerWithin = answerWithin
        self.store = store
        self.fanOut = fanOut
        self.signal = signal
        self.time = time
        self.logger = logger
        self.maxBatch = maxBatch
        self.limits = limits
        (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Waits for the commit that includes these events, or answers `unavailable` after
    /// `answerWithin` (a database that is gone leaves the commit waiting for a connection).
    /// `bytes` is the size of the request body they came in, counted against the queue's bound.
    public func submit(_ submissions: [NewEvent], bytes: Int) async throws -> [IngestOutcome] {
        let id = try admit(bytes: bytes)
        var submissions = submissions
        let context = tracing ? ServiceContext.current : nil
        if let parent = context.flatMap(TraceParent.of) {
            for index in submissions.indices where submissions[index].traceParent == nil {
                submissions[index].traceParent = parent
            }
        }
        let traced = submissions
        do {
            return try await withTimeout(answerWithin) {
                try await self.enqueue(id, bytes: bytes, traced, context: context)
            }
        } catch is TimeoutError {
            let waited = DurationText.format(answerWithin)
            switch withdraw(id, bytes: bytes) {
            case .notStored:
                throw WirehookError(
                    .unavailable, "the database did not answer within \(waited); the events were not stored, retry",
                    retryAfter: Self.unavailableRetryAfter)
            case .maybeStored:
                throw WirehookError(
                    .unavailable,
                    "the database did not answer within \(waited); the events may still be stored, so retry with "
                        + "the same ids (a repeated id is accepted once)",
                    retryAfter: Self.unavailableRetryAfter)
            }
        }
    }

    /// Reserves room for one request, or refuses it while the queue is at its bound.
    private func admit(bytes: Int) throws -> Int {
        let limits = self.limits
        let admitted: Int? = state.withLock { state in
            let fits = state.requests < limits.requests && state.bytes <= limits.bytes - min(bytes, limits.bytes)
            guard fits || state.requests == 0 else { return nil }
            state.requests += 1
            state.bytes += bytes
            state.nextID += 1
            return state.nextID
        }
        guard let admitted else {
            requestsRefused.increment()
            throw WirehookError(
                .overloaded,
                "too many events are waiting to be stored (at most \(limits.requests) requests and \(limits.bytes) "
                    + "bytes); nothing was accepted, retry later",
                retryAfter: Self.overloadedRetryAfter)
        }
        return admitted
    }

    private func enqueue(_ id: Int, bytes: Int, _ submissions: [NewEvent], context: ServiceContext?) async throws
        -> [IngestOutcome]
    {
        try await withCheckedThrowingContinuation { continuation in
            let queued = state.withLock { state in
                if state.withdrawn.remove(id) != nil { return false }
                state.jobs.append(
                    Job(id: id, bytes: bytes, submissions: submissions, continuation: continuation, context: context))
                return true
            }
            guard queued else {
                continuation.resume(throwing: CancellationError())
                return
            }
            wake.yield()
        }
    }

    /// Takes back a request whose caller stopped waiting: a job still in the queue is dropped
    /// (nothing of it will be stored); one in the commit under way may yet be stored.
    private func withdraw(_ id: Int, bytes: Int) -> Withdrawal {
        let (outcome, dropped): (Withdrawal, Job?) = state.withLock { state in
            if let index = state.jobs.firstIndex(where: { $0.id == id }) {
                let job = state.jobs.remove(at: index)
                state.requests -= 1
                state.bytes -= job.bytes
                return (.notStored, job)
            }
            if state.committing.contains(id) { return (.maybeStored, nil) }
            // Not queued yet: its enqueue will find it withdrawn. Its reservation goes now.
            state.withdrawn.insert(id)
            state.requests -= 1
            state.bytes -= bytes
            return (.notStored, nil)
        }
        dropped?.continuation.resume(throwing: CancellationError())
        return outcome
    }

    public func run() async throws {
        // Keep committing until the server has stopped accepting requests; on shutdown, whatever is
        // queued is still committed before the loop ends.
        await withGracefulShutdownHandler {
            for await _ in wakeups {
                await drain()
            }
        } onGracefulShutdown: { [wake] in
            wake.finish()
        }
        await drain()
    }

    private func drain() async {
        while true {
            let batch: [Job] = state.withLock { state in
                var taken: [Job] = []
                var count = 0
                while !state.jobs.isEmpty, count < maxBatch || taken.isEmpty {
                    let job = state.jobs.removeFirst()
                    count += job.submissions.count
                    state.committing.insert(job.id)
                    taken.append(job)
                }
                return taken
            }
            guard !batch.isEmpty else { return }
            await commit(batch)
            state.withLock { state in
                for job in batch {
                    state.committing.remove(job.id)
                    state.requests -= 1
                    state.bytes -= job.bytes
                }
            }
        }
    }

    /// The commit is awaited however long it takes, with no deadline of its own: abandoning it
    /// would let commits pile up on a stalled database and leave its outcome unknown. Each
    /// request stops waiting at `answerWithin`, and the bound turns new ones away meanwhile.
    private func commit(_ batch: [Job]) async {
        let all = batch.flatMap(\.submissions)
        let fanOut = self.fanOut
        // One commit serves many requests: its span links to each of them.
        let span = tracing ? startSpan("wirehook.ingest.commit") : nil
        defer { span?.end() }
        if let span {
            span.attributes["wirehook.commit.events"] = all.count
            span.attributes["wirehook.commit.requests"] = batch.count
            for context in batch.compactMap(\.context) { span.addLink(SpanLink(context: context, attributes: [:])) }
        }
        do {
            let now = time.now()
            let outcomes = try await store.ingest(all, now: now) { submission, endpoints in
                fanOut.plan(submission, endpoints: endpoints, now: now)
            }
            let accepted = outcomes.filter { !$0.duplicate }
            eventsAccepted.increment(by: accepted.count)
            eventsDuplicate.increment(by: outcomes.count - accepted.count)
            deliveriesCreated.increment(by: accepted.reduce(0) { $0 + $1.deliveries })
            var offset = 0
            for job in batch {
                let count = job.submissions.count
                job.continuation.resume(returning: Array(outcomes[offset..<(offset + count)]))
                offset += count
            }
            signal.notify()
        } catch {
            span?.setStatus(SpanStatus(code: .error, message: "events could not be stored"))
            logger.error("Could not store events", metadata: ["error": "\(error)", "ingest.batch": "\(all.count)"])
            for job in batch {
                job.continuation.resume(
                    throwing: WirehookError(
                        .unavailable, "events could not be stored; nothing was accepted, retry",
                        retryAfter: Self.unavailableRetryAfter))
            }
        }
    }
}
