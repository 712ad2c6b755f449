import Foundation
import Logging
import PostgresNIO
import WirehookCore

extension PostgresStore: IngestStore {
    /// How often a batch is planned again after an endpoint vanished under it.
    static var ingestAttempts: Int { 3 }

    public func ingest(
        _ events: [NewEvent], now: Date, plan: @Sendable (NewEvent, [Endpoint]) -> DeliveryPlan
    ) async throws -> [IngestOutcome] {
        // The endpoints are read without a lock, so one deleted before this transaction inserts
        // its deliveries breaks their foreign key, and the whole batch (other callers' events
        // too) would fail. Planning it again from the endpoints as they are now drops that one.
        var attempt = 1
        while true {
            do {
                return try await ingestOnce(events, now: now, plan: plan)
            } catch let error where attempt < Self.ingestAttempts && Self.isEndpointGone(error) {
                attempt += 1
                logger.debug("An endpoint was deleted during an ingest; planning the batch again")
            } catch let error where attempt < Self.ingestAttempts && PostgresPartitions.isMissingPartition(error) {
                // Today's partitions are made days ahead, by every start and every retention pass;
                // a process that only ingests and has run that long makes them itself.
                attempt += 1
                logger.notice("No partition for today's rows yet; making it")
                try await client.withTransaction(logger: logger) { connection in
                    try await PostgresPartitions.ensure(connection, logger: logger)
                }
            }
        }
    }

    /// A delivery row that names an endpoint no longer there (SQLSTATE 23503).
    static func isEndpointGone(_ error: any Error) -> Bool {
        serverInfo(of: error)?[.sqlState] == PostgresError.Code.foreignKeyViolation.raw
    }

    func ingestOnce(
        _ events: [NewEvent], now: Date, plan: @Sendable (NewEvent, [Endpoint]) -> DeliveryPlan
    ) async throws -> [IngestOutcome] {
        let batch = IngestBatch(events, now: now)
        let logger = self.logger
        let secrets = self.secrets
        let countShard = self.countShard
        return try await client.withTransaction(logger: logger) { connection in
            let endpoints = try await Self.allEndpoints(
                connection.query("SELECT * FROM endpoints ORDER BY created_at, id", logger: logger), secrets: secrets)
            let sequences = try await Self.nextValues(connection, "events_seq_seq", batch.eventCount, logger: logger)

            // A key another transaction has inserted but not committed makes this insert wait for
            // it; after its commit the key stays theirs and this event is a duplicate.
            var claimed = Set<String>()
            let keys = batch.keys(eventSequences: sequences)
            if !keys.isEmpty {
                let rows = try await connection.query(
                    PostgresQueries.query(PostgresQueries.claimKeys) {
                        $0.append(keys.map(\.id))
                        $0.append(keys.map(\.eventSequence))
                        $0.append(keys.map(\.receivedAtMs))
                        $0.append(keys.map(\.expiresAtMs))
                        $0.append(batch.nowMs)
                    }, logger: logger)
                for try await id in rows.decode(String.self) { claimed.insert(id) }
            }
            let rows = batch.rows(claimed: claimed, eventSequences: sequences, endpoints: endpoints, plan: plan)

            var counts: [String: Int] = [:]
            let unclaimed = batch.unclaimedIDs(rows)
            if !unclaimed.isEmpty {
                let countRows = try await connection.query(
                    PostgresQueries.query(PostgresQueries.storedDeliveryCounts) { $0.append(unclaimed) },
                    logger: logger)
                for try await (id, count) in countRows.decode((String, Int64).self) { counts[id] = Int(count) }
            }

            let payloadSequences = try await Self.nextValues(
                connection, "payloads_seq_seq", rows.payloads.count, logger: logger)
            if !rows.events.isEmpty || !rows.deliveries.isEmpty {
                let inserted = try await connection.query(
                    IngestInsert.query(
                        events: EventColumns(rows.events),
                        payloads: PayloadColumns(rows.payloads, sequences: payloadSequences),
                        deliveries: DeliveryColumns(rows.deliveries, payloadSequences: payloadSequences),
                        countShard: countShard, channel: Self.notificationChannel),
                    logger: logger)
                // The statement answers with a row (the notification), and an error while it runs
                // (a missing partition, an endpoint deleted meanwhile) arrives in place of that
                // row: unread, it would go unseen, and COMMIT on the failed transaction only rolls
                // it back, so the batch would be answered as accepted and be lost.
                for try await _ in inserted {}
            }
            return batch.outcomes(rows, storedDeliveryCounts: counts)
        }
    }

    static func nextValues(_ connection: PostgresConnection, _ sequence: String, _ count: Int, logger: Logger)
        async throws -> [Int64]
    {
        guard count > 0 else { return [] }
        var values: [Int64] = []
        values.reserveCapacity(count)
        let rows = try await connection.query(
            "SELECT wirehook_next_seq(\(sequence)::regclass) FROM generate_series(1, \(count))", logger: logger)
        for try await value in rows.decode(Int64.self) { values.append(value) }
        return values
    }
}
