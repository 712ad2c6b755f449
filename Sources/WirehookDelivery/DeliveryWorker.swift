import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Tracing
import WirehookCore

/// Claims due deliveries, signs and sends them, records every attempt and schedules the next one.
///
/// The whole algorithm reads top to bottom: `run` keeps up to `concurrency` attempts in flight,
/// `attempt` sends one and decides what happens next, results are written back in batches.
public struct DeliveryWorker: Service {
    /// The queue, and `ping` to tell a store that is down from one that refuses a record.
    let store: any DeliveryQueue & StoreMaintenance
    let sender: HTTPSender
    let formats: FormatRegistry
    let policy: RetryPolicy
    /// Breaker and auto-disable rules, applied as results are recorded.
    let health: HealthPolicy
    let configuration: WorkerConfiguration
    let signal: WorkSignal
    let time: TimeSource
    let logger: Logger
    let owner: String
    let metrics: WorkerMetrics
    /// Deadlines and pauses for the store calls, so a database that stops answering neither
    /// holds the worker nor gets hammered by it.
    let claimGate: StoreGate
    let leaseGate: StoreGate
    let recorder: ResultRecorder

    public init(
        store: any DeliveryQueue & StoreMaintenance,
        sender: HTTPSender,
        formats: FormatRegistry,
        policy: RetryPolicy,
        health: HealthPolicy? = nil,
        configuration: WorkerConfiguration,
        signal: WorkSignal,
        time: TimeSource = .system,
        logger: Logger,
        owner: String = Identifier.make(prefix: "worker_")
    ) {
        self.store = store
        self.sender = sender
        self.formats = formats
        self.policy = policy
        let health = health ?? HealthPolicy(probeWaits: policy.delays)
        self.health = health
        self.configuration = configuration
        self.signal = signal
        self.time = time
        self.logger = logger
        self.owner = owner
        let metrics = WorkerMetrics()
        self.metrics = metrics
        claimGate = StoreGate(
            call: "claim", deadline: configuration.storeTimeout, maxPause: configuration.maxStorePause)
        leaseGate = StoreGate(
            call: "extend_leases", deadline: configuration.storeTimeout, maxPause: configuration.maxStorePause)
        recorder = ResultRecorder(
            gate: StoreGate(
                call: "record", deadline: configuration.storeTimeout, maxPause: configuration.maxStorePause,
                maxRunning: 1),
            batchSize: configuration.recordBatchSize, logger: logger,
            record: { [store, logger] in
                let changes = try await store.record($0, health: health)
                Self.report(changes, logger: logger, metrics: metrics)
            },
            ping: { [store] in try await store.ping() })
    }

    enum Input: Sendable {
        case wake
        case shutdown
        case drainDeadline
    }

    public func run() async throws {
        let (inputs, input) = AsyncStream<Input>.makeStream()
        let wakeups = signal.stream()
        let ticker = AsyncTimerSequence(interval: configuration.pollInterval)
        // Finished attempts collect here and are recorded together: one commit per batch.
        let finished = ResultInbox()
        // Wake-ups coalesce: however many arrive while the loop is busy, it runs one more turn.
        let wakeQueued = WakeFlag()
        let wake: @Sendable () -> Void = { if wakeQueued.raise() { input.yield(.wake) } }
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await _ in wakeups { wake() }
            }
            group.addTask {
                for await _ in ticker { wake() }
            }
            await withGracefulShutdownHandler {
                var inFlight: [String: Int] = [:]
                var inFlightTotal = 0
                var draining = false
                input.yield(.wake)
                for await event in inputs {
                    switch event {
                    case .wake:
                        wakeQueued.lower()
                    case .shutdown:
                        draining = true
                        let deadline = configuration.drainTimeout
                        group.addTask {
                            try? await Task.sleep(for: deadline)
                            input.yield(.drainDeadline)
                        }
                    case .drainDeadline:
                        logger.warning(
                            "Shutdown deadline reached with attempts in flight; they will be retried after restart",
                            metadata: ["worker.in_flight": "\(inFlightTotal)"])
                        recorder.add(finished.takeAll().flatMap(\.records))
                        if await !recorder.flush() {
                            logger.warning(
                                "Attempt results could not be recorded before shutdown; the deliveries will be retried")
                        }
                        group.cancelAll()
                        return
                    }
                    // Record before claiming more, so the store sees finished work first.
                    let done = finished.takeAll()
                    for (_, endpointID) in done {
                        inFlightTotal -= 1
                        inFlight[endpointID, default: 1] -= 1
                        if inFlight[endpointID] == 0 { inFlight[endpointID] = nil }
                    }
                    recorder.add(done.flatMap(\.records))
                    let recorded = await recorder.flush()
                    metrics.requestsInFlight.record(inFlightTotal)
                    if draining {
                        if inFlightTotal == 0, recorded {
                            group.cancelAll()
                            return
                        }
                        continue
                    }
                    // Results the store has not taken yet mean it is behind or away: claim nothing new.
                    guard recorded else { continue }
                    let free = configuration.concurrency - inFlightTotal
                    guard free > 0 else { continue }
                    let claimed: [ClaimedDelivery]
                    // The span is made afterwards, backdated, and only for a claim that took work or
                    // failed: an idle worker polls four times a second and would bury the trace.
                    let claimStarted = configuration.tracing ? DefaultTracerClock.now : nil
                    do {
                        let now = time.now()
                        let lease = configuration.timeout + configuration.leaseMargin
                        let request = ClaimRequest(
                            now: now, limit: free, leaseUntil: now.addingTimeInterval(lease.timeInterval),
                            owner: owner, maxPerEndpoint: configuration.maxPerEndpoint, inFlight: inFlight,
                            batchFormats: batchFormats, health: health)
                        // A claim past its deadline may still commit; its leases then run out
                        // and the deliveries are claimed again, late but not lost.
                        claimed = try await claimGate.call { [store] in try await store.claimDue(request) }
                    } catch is StoreGate.NotNow {
                        continue
                    } catch is TimeoutError {
                        if let claimStarted {
                            let span = startSpan("wirehook.claim", at: claimStarted)
                            span.setStatus(SpanStatus(code: .error, message: "the database did not answer in time"))
                            span.end()
                        }
                        logger.error(
                            "The database did not answer a claim in time; pausing claims",
                            metadata: ["store.deadline": "\(configuration.storeTimeout)"])
                        continue
                    } catch {
                        logger.error("Could not claim deliveries", metadata: ["error": "\(error)"])
                        continue
                    }
                    if let claimStarted, !claimed.isEmpty {
                        let span = startSpan("wirehook.claim", at: claimStarted)
                        span.attributes["wirehook.claim.deliveries"] = claimed.count
                        span.attributes["wirehook.claim.free_slots"] = free
                        span.end()
                    }
                    await extendLeasesForSlowEndpoints(claimed)
                    for request in requests(from: claimed) {
                        let endpointID = request[0].endpointID
                        inFlightTotal += 1
                        inFlight[endpointID, default: 0] += 1
                        group.addTask {
                            let records = await attempt(request)
                            finished.put(records, endpointID: endpointID)
                            wake()
                        }
                    }
                    metrics.requestsInFlight.record(inFlightTotal)
                }
            } onGracefulShutdown: {
                input.yield(.shutdown)
            }
        }
    }

    /// A claim leases for the worker's timeout; an endpoint allowed longer (wg-portal's own
    /// timeout) gets its lease stretched first, so no other process takes it mid-attempt.
    private func extendLeasesForSlowEndpoints(_ claimed: [ClaimedDelivery]) async {
        let byTimeout = Dictionary(grouping: claimed) { timeout(options: $0.endpointOptions) }
        for (attemptTimeout, deliveries) in byTimeout where attemptTimeout > configuration.timeout {
            let until = time.now().addingTimeInterval((attemptTimeout + configuration.leaseMargin).timeInterval)
            let sequences = deliveries.map(\.sequence)
            do {
                try await leaseGate.call { [store, owner] in
                    try await store.extendLeases(sequences, until: until, owner: owner)
                }
            } catch {
                logger.warning(
                    "Could not extend leases for slow endpoints; a duplicate attempt is possible",
                    metadata: ["error": "\(error)"])
            }
        }
    }

    /// Formats whose deliveries leave in one request per endpoint and flush.
    var batchFormats: Set<String> {
        Set(formats.names.filter { formats[$0]?.batchInterval(options: .object([])) != nil })
    }

    /// Groups claimed deliveries into requests: one each, or one per endpoint for batching formats.
    ///
    /// A batched delivery that has failed before goes alone: one element a receiver rejects then
    /// fails (and, after the retry schedule, is given up) by itself, while the rest of its old
    /// batch is delivered at the next flush. Marzban itself re-sends the whole batch and drops it
    /// after four tries, taking the good elements with it.
    func requests(from claimed: [ClaimedDelivery]) -> [[ClaimedDelivery]] {
        var result: [[ClaimedDelivery]] = []
        var batchIndex: [String: Int] = [:]
        for delivery in claimed {
            guard formats[delivery.format]?.batchInterval(options: delivery.endpointOptions) != nil, delivery.attempts == 0
            else {
                result.append([delivery])
                continue
            }
            if let index = batchIndex[delivery.endpointID] {
                result[index].append(delivery)
            } else {
                batchIndex[delivery.endpointID] = result.count
                result.append([delivery])
            }
        }
        return result
    }

    /// Sends one request (one delivery, or a batch to one endpoint) and decides, per delivery,
    /// whether it is done, due again later, or failed for good.
    func attempt(_ request: [ClaimedDelivery]) async -> [AttemptRecord] {
        let first = request[0]
        let attemptedAt = time.now()
        guard let format = formats[first.format] else {
            return request.map { delivery in
                AttemptRecord(
                    deliverySequence: delivery.sequence,
                    endpointID: delivery.endpointID,
                    attempt: Attempt(
                        attemptedAt: attemptedAt, responseStatus: nil, responseTimeMs: 0,
                        error: "unknown format '\(delivery.format)'", responseBody: [], trigger: delivery.trigger),
                    next: .failed)
            }
        }
        let prepared = format.request(
            for: OutgoingRequest(
                endpointURL: first.url, secret: first.signingSecret(multipleSignatures: format.signsWithEverySecret),
                options: first.endpointOptions,
                items: request.map {
                    OutgoingItem(
                        eventID: $0.eventID, eventType: $0.eventType, occurredAt: $0.occurredAt, body: $0.body,
                        previousAttempts: $0.attempts)
                },
                attemptedAt: attemptedAt))
        let span = configuration.tracing ? Self.attemptSpan(request) : nil
        let outcome = await sender.send(
            url: prepared.url, headers: prepared.headers, body: prepared.body,
            timeout: timeout(options: first.endpointOptions))
        if let span {
            if let status = outcome.statusCode { span.attributes["http.response.status_code"] = status }
            span.attributes["wirehook.delivery.outcome"] = outcome.isSuccess ? "success" : "failure"
            if !outcome.isSuccess { span.setStatus(SpanStatus(code: .error, message: outcome.error)) }
            span.end()
        }
        let flushEvery = format.batchInterval(options: first.endpointOptions)
        metrics.recordAttempt(outcome, deliveries: request.count)
        logger.debug(
            "Delivery attempt",
            metadata: [
                "endpoint.id": "\(first.endpointID)", "delivery.id": "\(first.id)", "event.id": "\(first.eventID)",
                "delivery.count": "\(request.count)", "delivery.attempt": "\(first.attempts &+ 1)",
                "http.status": "\(outcome.statusCode.map(String.init) ?? "-")", "http.latency_ms": "\(outcome.latencyMs)",
                "delivery.error": "\(outcome.error ?? "")",
            ])
        return request.map { delivery in
            let next: AttemptRecord.Next
            // A failed probe, or a 410 that disables the endpoint, says the endpoint is away: the
            // delivery keeps its retries and waits, due, until the endpoint is back.
            let endpointAway = !outcome.isSuccess && (delivery.trigger == .probe || outcome.statusCode == 410)
            if outcome.isSuccess {
                next = .delivered
            } else if endpointAway {
                next = .retry(at: attemptedAt)
            } else if let wait = policy.delay(
                // A stored count; saturating keeps a corrupt row from trapping.
                afterAttempt: delivery.scheduledAttempts == .max ? .max : delivery.scheduledAttempts + 1,
                retryAfter: outcome.retryAfter, random: Double.random(in: 0..<1))
            {
                var due = time.now().addingTimeInterval(wait.timeInterval)
                if let flushEvery { due = FlushSchedule.next(after: due, every: flushEvery) }
                next = .retry(at: due)
            } else {
                next = .failed
            }
            metrics.recordNext(next)
            return AttemptRecord(
                deliverySequence: delivery.sequence, endpointID: delivery.endpointID,
                attempt: Attempt(
                    attemptedAt: attemptedAt, responseStatus: outcome.statusCode, responseTimeMs: outcome.latencyMs,
                    error: outcome.error, responseBody: outcome.responseBody, trigger: delivery.trigger),
                next: next, countsTowardSchedule: !endpointAway, requestSequence: first.sequence)
        }
    }

    /// A client span for one attempt, in the trace of the request that brought the event in when
    /// it was stored with one. Ids only: never the URL (it may carry a token), a header or a body.
    /// A batch's span belongs to its first event's trace and links to the other events' traces.
    static func attemptSpan(_ request: [ClaimedDelivery]) -> any Span {
        let first = request[0]
        let context = first.traceParent.map(TraceParent.context) ?? .topLevel
        let span = startSpan("wirehook.delivery.attempt", context: context, ofKind: .client)
        span.attributes["http.request.method"] = "POST"
        span.attributes["wirehook.event.id"] = first.eventID
        span.attributes["wirehook.event.type"] = first.eventType
        span.attributes["wirehook.delivery.id"] = first.id
        span.attributes["wirehook.endpoint.id"] = first.endpointID
        // A stored count; saturating keeps a corrupt row from trapping.
        span.attributes["wirehook.delivery.attempt"] = first.attempts == .max ? .max : first.attempts + 1
        span.attributes["wirehook.delivery.count"] = request.count
        var linked: Set<String> = first.traceParent.map { [$0] } ?? []
        for delivery in request.dropFirst() {
            guard linked.count < maxBatchLinks, let parent = delivery.traceParent, linked.insert(parent).inserted
            else { continue }
            span.addLink(SpanLink(context: TraceParent.context(parent), attributes: [:]))
        }
        return span
    }

    /// Enough links to follow a batch back to its requests without making one span huge.
    static let maxBatchLinks = 64

    /// Pauses, resumes and disables are rare and worth an admin's attention.
    static func report(_ changes: [HealthChange], logger: Logger, metrics: WorkerMetrics) {
        for change in changes {
            for transition in change.transitions {
                metrics.recordHealthTransition(to: transition.to)
                let metadata: Logger.Metadata = [
                    "endpoint.id": "\(change.endpointID)", "endpoint.health.from": "\(transition.from.rawValue)",
                    "endpoint.health.to": "\(transition.to.rawValue)", "endpoint.health.reason": "\(transition.reason ?? "")",
                ]
                switch transition.to {
                case .paused: logger.notice("Endpoint paused: circuit breaker open", metadata: metadata)
                case .disabled: logger.notice("Endpoint disabled", metadata: metadata)
                case .healthy where transition.from == .paused:
                    logger.notice("Endpoint resumed: circuit breaker closed", metadata: metadata)
                case .healthy, .failing: logger.debug("Endpoint health changed", metadata: metadata)
                }
            }
        }
    }

    /// An endpoint may ask for its own deadline (wg-portal's `webhook.timeout`), within 1 to 60 s.
    func timeout(options: JSONValue) -> Duration {
        guard let seconds = options["timeout_seconds"]?.doubleValue, seconds.isFinite else { return configuration.timeout }
        return .milliseconds(Int64(saturating: min(max(seconds, 1), 60) * 1000))
    }
}

/// A sequence that ticks every `interval` until cancelled.
struct AsyncTimerSequence: AsyncSequence, Sendable {
    let interval: Duration

    struct AsyncIterator: AsyncIteratorProtocol {
        let interval: Duration
        mutating func next() async -> Void? {
            do {
                try await Task.sleep(for: interval)
                return ()
            } catch {
                return nil
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(interval: interval) }
}
