import Logging
import Synchronization
import WirehookCore

/// Keeps finished attempts until the store has recorded them.
///
/// A write that overruns its deadline is left to finish, not repeated: recording is not
/// idempotent (it adds an attempt row and counts the attempt), and a write sent to a database
/// that stopped answering commits when it answers again. Dropping the results instead and
/// waiting for the leases to run out would send every one of those deliveries a second time and
/// leave their attempts out of the log. So the write's own end decides: what it recorded is
/// done; what it could not record, because the store failed, goes back to be written again
/// after a pause. Only results the store refuses while it answers otherwise are given up; their
/// leases run out and the deliveries are attempted again.
final class ResultRecorder: Sendable {
    private let waiting = Mutex<[AttemptRecord]>([])
    let gate: StoreGate
    let batchSize: Int
    let logger: Logger
    private let recordInStore: @Sendable ([AttemptRecord]) async throws -> Void
    private let ping: @Sendable () async throws -> Void

    /// The store was not able to record anything; the results wait for the next write.
    struct StoreDown: Error {}

    init(
        gate: StoreGate, batchSize: Int, logger: Logger,
        record: @escaping @Sendable ([AttemptRecord]) async throws -> Void,
        ping: @escaping @Sendable () async throws -> Void
    ) {
        self.gate = gate
        self.batchSize = max(1, batchSize)
        self.logger = logger
        recordInStore = record
        self.ping = ping
    }

    func add(_ records: [AttemptRecord]) {
        guard !records.isEmpty else { return }
        waiting.withLock { $0.append(contentsOf: records) }
    }

    /// Writes what is waiting. True when everything finished so far is recorded (nothing waits and
    /// no write is still running), so the worker may claim more.
    func flush() async -> Bool {
        let batch = waiting.withLock { waiting in
            defer { waiting.removeAll() }
            return waiting
        }
        guard !batch.isEmpty else { return gate.isIdle }
        do {
            try await gate.call { try await self.write(batch) }
        } catch is StoreGate.NotNow {
            putBack(batch)
            return false
        } catch is TimeoutError {
            logger.warning(
                "The database did not record attempt results in time; they are kept until it does",
                metadata: ["worker.batch": "\(batch.count)", "store.deadline": "\(gate.deadline)"])
            return false
        } catch {
            logger.error(
                "Could not record attempt results; they are kept and written again",
                metadata: ["error": "\(error)", "worker.batch": "\(batch.count)"])
            return false
        }
        return waiting.withLock { $0.isEmpty } && gate.isIdle
    }

    /// Records `results` in batches; throws `StoreDown` after putting back what is left when the
    /// store cannot record at all.
    private func write(_ results: [AttemptRecord]) async throws {
        var start = 0
        while start < results.count {
            let end = min(start + batchSize, results.count)
            let batch = Array(results[start..<end])
            do {
                try await recordInStore(batch)
            } catch {
                let unrecorded = await recordOneByOne(batch)
                if !unrecorded.isEmpty {
                    putBack(unrecorded + results[end...])
                    throw StoreDown()
                }
            }
            start = end
        }
    }

    /// One record at fault must not hold back the others: write them one by one. Returns what
    /// is left when the store itself is failing; a record that fails while the store still
    /// answers is given up (its lease runs out and the delivery is attempted again).
    private func recordOneByOne(_ batch: [AttemptRecord]) async -> [AttemptRecord] {
        for (index, record) in batch.enumerated() {
            do {
                try await recordInStore([record])
            } catch {
                if (try? await ping()) == nil { return Array(batch[index...]) }
                logger.error(
                    "Could not record an attempt result; the delivery will be retried",
                    metadata: ["error": "\(error)", "delivery.sequence": "\(record.deliverySequence)"])
            }
        }
        return []
    }

    private func putBack(_ records: some Collection<AttemptRecord>) {
        waiting.withLock { $0.insert(contentsOf: records, at: 0) }
    }
}
