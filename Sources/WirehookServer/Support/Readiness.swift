import Synchronization

/// Whether this process should be sent traffic: its database is prepared and it is not stopping.
///
/// `/readyz` reads it; the app sets it once migrations have run, and `ShutdownNotice` clears it
/// the moment a graceful shutdown begins, before the listener closes.
public final class Readiness: Sendable {
    private let prepared = Atomic<Bool>(false)
    private let stopping = Atomic<Bool>(false)

    public init() {}

    func markPrepared() { prepared.store(true, ordering: .releasing) }
    func markStopping() { stopping.store(true, ordering: .releasing) }

    var isPrepared: Bool { prepared.load(ordering: .acquiring) }
    var isStopping: Bool { stopping.load(ordering: .acquiring) }
}
