import Synchronization

/// Wakes the delivery worker when new work lands, so latency does not depend on a poll interval.
public final class WorkSignal: Sendable {
    private let continuation = Mutex<AsyncStream<Void>.Continuation?>(nil)

    public init() {}

    public func notify() {
        continuation.withLock { _ = $0?.yield() }
    }

    /// The stream the worker listens on; a later call replaces the earlier listener.
    func stream() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.continuation.withLock { $0 = continuation }
        return stream
    }
}

/// Whether a wake-up is already queued for the worker loop.
final class WakeFlag: Sendable {
    private let queued = Atomic<Bool>(false)

    /// True when this call queued it (it was not queued yet).
    func raise() -> Bool { !queued.exchange(true, ordering: .acquiringAndReleasing) }

    func lower() { queued.store(false, ordering: .releasing) }
}
