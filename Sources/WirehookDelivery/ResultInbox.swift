import Synchronization
import WirehookCore

/// Where finished attempts wait until the worker loop records them as one batch.
final class ResultInbox: Sendable {
    private let results = Mutex<[(record: AttemptRecord, endpointID: String)]>([])

    func put(_ record: AttemptRecord, endpointID: String) {
        results.withLock { $0.append((record, endpointID)) }
    }

    func takeAll() -> [(record: AttemptRecord, endpointID: String)] {
        results.withLock { results in
            defer { results.removeAll(keepingCapacity: true) }
            return results
        }
    }
}
