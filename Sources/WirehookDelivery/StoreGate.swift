import Metrics
import Synchronization
import WirehookCore

/// Gives one kind of the worker's store calls a deadline, and spaces calls out after failures.
///
/// A database that stops answering (stopped, partitioned) leaves a query waiting forever; the
/// worker must neither wait with it nor fire call after call at it. A call past its deadline is
/// no longer awaited, but it still counts as running until it ends (it holds a connection and may
/// yet commit), so at most `maxRunning` calls of a kind are ever left running. After a failure
/// or a timeout the next call waits, doubling from `firstPause` up to `maxPause`.
final class StoreGate: Sendable {
    /// Refused without calling the store: backing off, or too many calls still running.
    struct NotNow: Error {}

    private struct State {
        var running = 0
        var failuresInARow = 0
        var notBefore: ContinuousClock.Instant?
    }

    let deadline: Duration
    let firstPause: Duration
    let maxPause: Duration
    let maxRunning: Int
    private let state = Mutex(State())
    private let calls: Counter
    private let timeouts: Counter
    private let errors: Counter

    init(
        call: String, deadline: Duration, firstPause: Duration = .milliseconds(250), maxPause: Duration,
        maxRunning: Int = 2
    ) {
        self.deadline = deadline
        self.firstPause = firstPause
        self.maxPause = max(firstPause, maxPause)
        self.maxRunning = max(1, maxRunning)
        calls = Counter(label: "wirehook_worker_store_calls_total", dimensions: [("call", call)])
        timeouts = Counter(
            label: "wirehook_worker_store_failures_total", dimensions: [("call", call), ("reason", "timeout")])
        errors = Counter(
            label: "wirehook_worker_store_failures_total", dimensions: [("call", call), ("reason", "error")])
    }

    /// True when no call of this kind is running, past its deadline or not.
    var isIdle: Bool { state.withLock { $0.running == 0 } }

    /// Runs `operation` against the store within the deadline; throws `NotNow` without running it
    /// while backing off, `TimeoutError` at the deadline, or the operation's own error.
    func call<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let maxRunning = self.maxRunning
        let allowed = state.withLock { state in
            if let notBefore = state.notBefore, ContinuousClock.now < notBefore { return false }
            guard state.running < maxRunning else { return false }
            state.running += 1
            return true
        }
        guard allowed else { throw NotNow() }
        calls.increment()
        do {
            return try await withTimeout(deadline) {
                // The call's own end, not the deadline, decides when it stops counting as running.
                do {
                    let result = try await operation()
                    self.ended(failed: false)
                    return result
                } catch {
                    self.ended(failed: true)
                    throw error
                }
            }
        } catch let error as TimeoutError {
            timeouts.increment()
            pause()
            throw error
        } catch {
            errors.increment()
            throw error
        }
    }

    private func ended(failed: Bool) {
        state.withLock { state in
            state.running -= 1
            if !failed {
                state.failuresInARow = 0
                state.notBefore = nil
            }
        }
        if failed { pause() }
    }

    private func pause() {
        let (firstPause, maxPause) = (self.firstPause, self.maxPause)
        state.withLock { state in
            state.failuresInARow = min(state.failuresInARow + 1, 30)
            var wait = firstPause
            for _ in 1..<state.failuresInARow where wait < maxPause { wait = wait * 2 }
            state.notBefore = ContinuousClock.now + min(wait, maxPause)
        }
    }
}
