import Synchronization
import WirehookCore

/// Bounds how many request bodies are read and parsed at once.
///
/// A body and the tree parsed from it are the largest things a request holds, so this bounds the
/// memory that a burst of requests can take. A request waits for a slot at most `wait`, then is
/// answered `overloaded`; a body not yet read stays in the socket, where TCP slows the sender.
final class ParseSlots: Sendable {
    private enum Waiter {
        case waiting(CheckedContinuation<Bool, Never>?)
        case granted
        case expired
    }

    private struct State {
        var free: Int
        var nextID = 0
        /// Waiters in arrival order; a slot goes to the first one still waiting.
        var order: [Int] = []
        var waiters: [Int: Waiter] = [:]
    }

    static let retryAfter: Duration = .seconds(1)

    let count: Int
    let wait: Duration
    private let state: Mutex<State>

    init(count: Int, wait: Duration) {
        self.count = max(1, count)
        self.wait = wait
        state = Mutex(State(free: max(1, count)))
    }

    func withSlot<T>(_ body: () async throws -> T) async throws -> T {
        guard await acquire() else {
            throw WirehookError(
                .overloaded,
                "\(count) request bodies are already being read; nothing was accepted, retry later",
                retryAfter: Self.retryAfter)
        }
        defer { release() }
        return try await body()
    }

    /// True with a slot held; false when none came free within `wait` (or the task was cancelled).
    private func acquire() async -> Bool {
        let id: Int? = state.withLock { state in
            if state.free > 0 {
                state.free -= 1
                return nil
            }
            state.nextID += 1
            state.order.append(state.nextID)
            state.waiters[state.nextID] = .waiting(nil)
            return state.nextID
        }
        guard let id else { return true }
        let wait = self.wait
        return await withTaskGroup(of: Void.self) { group in
            // The timer is a child task, so cancelling the request also ends the wait.
            group.addTask {
                try? await Task.sleep(for: wait)
                self.expire(id)
            }
            let granted = await withCheckedContinuation { continuation in park(id, continuation) }
            group.cancelAll()
            return granted
        }
    }

    private func park(_ id: Int, _ continuation: CheckedContinuation<Bool, Never>) {
        let decided: Bool? = state.withLock { state in
            switch state.waiters[id] {
            case .waiting:
                state.waiters[id] = .waiting(continuation)
                return nil
            case .granted:
                state.waiters[id] = nil
                return true
            case .expired, nil:
                state.waiters[id] = nil
                return false
            }
        }
        if let decided { continuation.resume(returning: decided) }
    }

    private func expire(_ id: Int) {
        let continuation: CheckedContinuation<Bool, Never>?? = state.withLock { state in
            guard case .waiting(let continuation) = state.waiters[id] else { return .none }
            state.order.removeAll { $0 == id }
            if continuation == nil {
                state.waiters[id] = .expired
            } else {
                state.waiters[id] = nil
            }
            return .some(continuation)
        }
        if case .some(.some(let continuation)) = continuation { continuation.resume(returning: false) }
    }

    private func release() {
        let next: CheckedContinuation<Bool, Never>? = state.withLock { state in
            while !state.order.isEmpty {
                let id = state.order.removeFirst()
                guard case .waiting(let continuation) = state.waiters[id] else { continue }
                if let continuation {
                    state.waiters[id] = nil
                    return continuation
                }
                state.waiters[id] = .granted
                return nil
            }
            state.free += 1
            return nil
        }
        next?.resume(returning: true)
    }
}
