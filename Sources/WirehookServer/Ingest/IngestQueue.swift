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
        /// The request's span, when tracing: the commit span links to it.
        var context: ServiceContext?
    }

    /// A request waiting for its answer, from the moment its job is queued until it is resumed:
    /// by the commit, by the deadline sweep or by its task's cancellation, whichever comes first.
    private struct Waiter {
        var continuation: CheckedContinuation<[IngestOutcome], any Error>
        var deadline: ContinuousClock.Instant
    }

    /// Jobs and what they hold. A job's share stays reserved from admission until its commit has
    /// returned, because until then its events are in memory.
    private struct State {
        var jobs: [Job] = []
        var requests = 0
        var bytes = 0
        var nextID = 0
        /// Admitted requests whose job is not queued yet.
        var admitted: Set<Int> = []
        /// Requests that gave up before their job was queued.
        var withdrawn: Set<Int> = []
        var waiters: [Int: Waiter] = [:]
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
    ///
    /// The deadline is kept by one sweep for all requests (`run`), not by a timer task per
    /// request: a task group with a sleeping child per request was about 5 % of ingest's CPU.
    public func submit(_ submissions: [NewEvent], bytes: Int) async throws -> [IngestOutcome] {
        let id = try admit(bytes: bytes)
        var submissions = submissions
        // Work done here runs beside other requests; inside the store's transaction it would not.
        for index in submissions.indices { submissions[index].encodeForStorage() }
        let context = tracing ? ServiceContext.current : nil
        if let parent = context.flatMap(TraceParent.of) {
            for index in submissions.indices where submissions[index].traceParent == nil {
                submissions[index].traceParent = parent
            }
        }
        let job = Job(id: id, bytes: bytes, submissions: submissions, context: context)
        let deadline = ContinuousClock.now.advanced(by: answerWithin)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let queued = state.withLock { state in
                    state.admitted.remove(id)
                    if state.withdrawn.remove(id) != nil { return false }
                    state.jobs.append(job)
                    state.waiters[id] = Waiter(continuation: continuation, deadline: deadline)
                    return true
                }
                guard queued else {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                wake.yield()
            }
        } onCancel: {
            stopWaiting(id, bytes: bytes)
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
            state.admitted.insert(state.nextID)
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

    /// Answers a request whose task was cancelled before its commit answered.
    private func stopWaiting(_ id: Int, bytes: Int) {
        let waiter: Waiter? = state.withLock { state in
            if state.admitted.remove(id) != nil {
                // Not queued yet: its enqueue will find it withdrawn. Its reservation goes now.
                state.withdrawn.insert(id)
                state.requests -= 1
                state.bytes -= bytes
                return nil
            }
            return Self.takeWaiter(id, &state)?.waiter
        }
        waiter?.continuation.resume(throwing: CancellationError())
    }

    /// Answers every request whose deadline has passed: `unavailable`, saying whether its events
    /// may yet be stored (its job is in the commit under way) or not (it was still queued, and is
    /// dropped).
    private func answerOverdue(at now: ContinuousClock.Instant) {
        let overdue: [(waiter: Waiter, queued: Bool)] = state.withLock { state in
            let ids = state.waiters.compactMap { id, waiter in waiter.deadline <= now ? id : nil }
            return ids.compactMap { Self.takeWaiter($0, &state) }
        }
        guard !overdue.isEmpty else { return }
        let waited = DurationText.format(answerWithin)
        for (waiter, queued) in overdue {
            let error =
                queued
                ? WirehookError(
                    .unavailable, "the database did not answer within \(waited); the events were not stored, retry",
                    retryAfter: Self.unavailableRetryAfter)
                : WirehookError(
                    .unavailable,
                    "the database did not answer within \(waited); the events may still be stored, so retry with "
                        + "the same ids (a repeated id is accepted once)",
                    retryAfter: Self.unavailableRetryAfter)
            waiter.continuation.resume(throwing: error)
        }
    }

    /// Removes a waiting request, and its job when it is still queued (releasing its reservation:
    /// a job in the commit under way keeps it until the commit returns).
    private static func takeWaiter(_ id: Int, _ state: inout State) -> (waiter: Waiter, queued: Bool)? {
        guard let waiter = state.waiters.removeValue(forKey: id) else { return nil }
        guard let index = state.jobs.firstIndex(where: { $0.id == id }) else { return (waiter, false) }
        let job = state.jobs.remove(at: index)
        state.requests -= 1
        state.bytes -= job.bytes
        return (waiter, true)
    }

    /// How often waiting requests are checked against their deadline: a twentieth of it, between
    /// 10 ms and half a second, so an answer is late by at most that.
    var sweepInterval: Duration { min(max(answerWithin / 20, .milliseconds(10)), .milliseconds(500)) }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { [sweepInterval] in
                while (try? await Task.sleep(for: sweepInterval)) != nil {
                    self.answerOverdue(at: .now)
                }
            }
            // Keep committing until the server has stopped accepting requests; on shutdown,
            // whatever is queued is still committed before the loop ends.
            await withGracefulShutdownHandler {
                for await _ in wakeups {
                    await drain()
                }
            } onGracefulShutdown: { [wake] in
                wake.finish()
            }
            await drain()
            group.cancelAll()
        }
    }

    private func drain() async {
        while true {
            let batch: [Job] = state.withLock { state in
                var count = 0
                var taken = 0
                for job in state.jobs {
                    guard count < maxBatch || taken == 0 else { break }
                    count += job.submissions.count
                    taken += 1
                }
                let batch = Array(state.jobs.prefix(taken))
                state.jobs.removeFirst(taken)
                return batch
            }
            guard !batch.isEmpty else { return }
            let answers = await commit(batch)
            let waiting: [Waiter?] = state.withLock { state in
                batch.map { job in
                    state.requests -= 1
                    state.bytes -= job.bytes
                    return state.waiters.removeValue(forKey: job.id)
                }
            }
            // A request already answered (its deadline passed, or it was cancelled) has no waiter.
            for (waiter, answer) in zip(waiting, answers) {
                waiter?.continuation.resume(with: answer)
            }
        }
    }

    /// The commit is awaited however long it takes, with no deadline of its own: abandoning it
    /// would let commits pile up on a stalled database and leave its outcome unknown. Each
    /// request stops waiting at `answerWithin`, and the bound turns new ones away meanwhile.
    /// Returns each job's answer, in order.
    private func commit(_ batch: [Job]) async -> [Result<[IngestOutcome], any Error>] {
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
            signal.notify()
            var offset = 0
            return batch.map { job in
                let count = job.submissions.count
                defer { offset += count }
                return .success(Array(outcomes[offset..<(offset + count)]))
            }
        } catch {
            span?.setStatus(SpanStatus(code: .error, message: "events could not be stored"))
            logger.error("Could not store events", metadata: ["error": "\(error)", "ingest.batch": "\(all.count)"])
            let refused = WirehookError(
                .unavailable, "events could not be stored; nothing was accepted, retry",
                retryAfter: Self.unavailableRetryAfter)
            return batch.map { _ in .failure(refused) }
        }
    }
}
