import Synchronization
import WirehookCore

/// Where finished attempts wait until the worker loop records them as one batch.
final class ResultInbox: Sendable {
    private let results = Mutex<[(records: [AttemptRecord], endpointID: String)]>([])

    /// One finished request: the records of every delivery it carried.
    func put(_ records: [AttemptRecord], endpointID: String) {
        results.withLock { $0.append((records, endpointID)) }
    }

    func takeAll() -> [(records: [AttemptRecord], endpointID: String)] {
        results.withLock { results in
            defer { results.removeAll(keepingCapacity: true) }
            return results
        }
    }
}
