import Logging
import Metrics
import ServiceLifecycle
import Synchronization
import WirehookCore
import WirehookDelivery

/// Groups concurrent ingest requests into one transaction each, so one fsync covers many events.
///
/// A request waits for the commit that includes it; nothing is acknowledged before it is on disk.
public final class IngestQueue: Service, Sendable {
    struct Job: Sendable {
        var submissions: [NewEvent]
        var continuation: CheckedContinuation<[IngestOutcome], any Error>
    }

    let store: any WebhookStore
    let fanOut: FanOut
    let signal: WorkSignal
    let time: TimeSource
    let logger: Logger
    let maxBatch: Int
    let answerWithin: Duration
    private let eventsAccepted = Counter(label: "wirehook_events_accepted_total")
    private let eventsDuplicate = Counter(label: "wirehook_events_duplicate_total")
    private let deliveriesCreated = Counter(label: "wirehook_deliveries_created_total")
    private let jobs = Mutex<[Job]>([])
    private let wake: AsyncStream<Void>.Continuation
    private let wakeups: AsyncStream<Void>

    public init(
        store: any WebhookStore, fanOut: FanOut, signal: WorkSignal, time: TimeSource, logger: Logger,
        maxBatch: Int = 2000, answerWithin: Duration = .seconds(30)
    ) {
        self.answerWithin = answerWithin
        self.store = store
        self.fanOut = fanOut
        self.signal = signal
        self.time = time
        self.logger = logger
        self.maxBatch = maxBatch
        (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Waits for the commit that includes these events, or answers `unavailable` after
    /// `answerWithin` (a database that is gone leaves the commit waiting for a connection).
    public func submit(_ submissions: [NewEvent]) async throws -> [IngestOutcome] {
        do {
            return try await withTimeout(answerWithin) { try await self.enqueue(submissions) }
        } catch is TimeoutError {
            throw WirehookError(
                .unavailable,
                "the database did not answer within \(DurationText.format(answerWithin)); the events may still be "
                    + "stored, so retry with the same ids (a repeated id is accepted once)")
        }
    }

    private func enqueue(_ submissions: [NewEvent]) async throws -> [IngestOutcome] {
        try await withCheckedThrowingContinuation { continuation in
            jobs.withLock { $0.append(Job(submissions: submissions, continuation: continuation)) }
            wake.yield()
        }
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
            let batch: [Job] = jobs.withLock { jobs in
                var taken: [Job] = []
                var count = 0
                while !jobs.isEmpty, count < maxBatch || taken.isEmpty {
                    let job = jobs.removeFirst()
                    count += job.submissions.count
                    taken.append(job)
                }
                return taken
            }
            guard !batch.isEmpty else { return }
            await commit(batch)
        }
    }

    private func commit(_ batch: [Job]) async {
        let all = batch.flatMap(\.submissions)
        let fanOut = self.fanOut
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
            logger.error("Could not store events", metadata: ["error": "\(error)", "ingest.batch": "\(all.count)"])
            for job in batch {
                job.continuation.resume(
                    throwing: WirehookError(.unavailable, "events could not be stored; nothing was accepted, retry"))
            }
        }
    }
}
