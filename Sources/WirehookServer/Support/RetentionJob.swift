import Logging
import ServiceLifecycle
import WirehookCore

/// Deletes finished deliveries, attempts and payloads past the retention period, in small batches.
struct RetentionJob: Service {
    let store: any StoreMaintenance
    let retention: Duration
    let interval: Duration
    let batchSize: Int
    /// Deadline of each purge call; a database that stopped answering ends this round.
    let deadline: Duration
    let time: TimeSource
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            await purgeOnce()
            try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
        }
    }

    func purgeOnce() async {
        let now = time.now()
        let cutoff = now.addingTimeInterval(-retention.timeInterval)
        var total = 0
        do {
            while !Task.isShuttingDownGracefully {
                // A purge past its deadline is left to finish on its own; purging again later is harmless.
                let removed = try await withTimeout(deadline) { [store, batchSize] in
                    try await store.purge(olderThan: cutoff, keysExpiredBefore: now, batchSize: batchSize)
                }
                total += removed
                if removed < batchSize { break }
                // Small batches with pauses keep the writer available for ingest.
                try await Task.sleep(for: .milliseconds(50))
            }
        } catch {
            logger.warning("Retention purge failed", metadata: ["error": "\(error)"])
        }
        if total > 0 { logger.info("Retention purge", metadata: ["retention.deleted": "\(total)"]) }
    }
}
