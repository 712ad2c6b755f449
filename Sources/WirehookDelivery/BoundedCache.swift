import Synchronization

/// A map the sender keeps on its hot path, bounded by clearing it whole when full: cheaper than
/// tracking use, and whatever is dropped is worked out again the next time it is needed.
final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    let capacity: Int
    private let entries = Mutex<[Key: Value]>([:])

    init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    func value(for key: Key) -> Value? { entries.withLock { $0[key] } }

    func store(_ value: Value, for key: Key) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = value
        }
    }

    /// The kept value, or `make()`'s, kept from now on.
    func value(for key: Key, orMake make: () -> Value) -> Value {
        if let known = value(for: key) { return known }
        let made = make()
        store(made, for: key)
        return made
    }
}
