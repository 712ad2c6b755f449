import Foundation
import Logging
import NIOCore
import PostgresNIO
import WirehookCore

/// The shared store: many Wirehook processes on one PostgreSQL database.
///
/// Workers lease due deliveries with `FOR UPDATE SKIP LOCKED`, so processes never take the same
/// row; a lease is a due time in the future, so a crashed process's deliveries come due again.
public struct PostgresStore: WebhookStore {
    public static let notificationChannel = "wirehook_deliveries"

    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Parses `postgres://user:password@host:port/database`.
    public static func configuration(url: String) throws(ConfigurationError) -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
            scheme == "postgres" || scheme == "postgresql", let host = components.host, !host.isEmpty
        else {
            throw ConfigurationError("database URL must look like postgres://user:password@host:5432/database")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
            password: components.password, database: database.isEmpty ? nil : database, tls: .disable)
        // Only modes that can be honoured are accepted; anything else would silently go plaintext.
        switch components.queryItems?.first(where: { $0.name == "sslmode" })?.value {
        case nil, "disable":
            break
        case "prefer":
            configuration.tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full":
            // Stricter than libpq's `require`: the server certificate is always verified.
            configuration.tls = .require(.makeClientConfiguration())
        case let mode?:
            throw ConfigurationError("sslmode=\(mode) is not supported; use disable, prefer, require, verify-ca or verify-full")
        }
        return configuration
    }

    public func migrate() async throws {
        try await PostgresSchema.migrate(client, logger: logger)
    }

    // MARK: Endpoints

    public func insertEndpoint(_ e: Endpoint) async throws {
        try await client.query(
            """
            INSERT INTO endpoints (id, url, events, description, active, format, secret, options, created_at, updated_at)
            VALUES (\(e.id), \(e.url), \(Self.eventsText(e)), \(e.description), \(e.active), \(e.format), \(e.secret),
                \(JSONWriter.string(e.options)), \(Timestamp.milliseconds(e.createdAt)), \(Timestamp.milliseconds(e.updatedAt)))
            """, logger: logger)
    }

    public func updateEndpoint(_ e: Endpoint) async throws {
        try await client.query(
            """
            UPDATE endpoints SET url = \(e.url), events = \(Self.eventsText(e)), description = \(e.description),
                active = \(e.active), format = \(e.format), secret = \(e.secret), options = \(JSONWriter.string(e.options)),
                created_at = \(Timestamp.milliseconds(e.createdAt)), updated_at = \(Timestamp.milliseconds(e.updatedAt))
            WHERE id = \(e.id)
            """, logger: logger)
    }

    static func eventsText(_ e: Endpoint) -> String { JSONWriter.string(.array(e.events.map { .string($0) })) }

    public func deleteEndpoint(id: String) async throws -> Bool {
        let rows = try await client.query("DELETE FROM endpoints WHERE id = \(id) RETURNING id", logger: logger)
        var deleted = false
        for try await _ in rows { deleted = true }
        return deleted
    }

    public func endpoint(id: String) async throws -> Endpoint? {
        let rows = try await client.query("SELECT * FROM endpoints WHERE id = \(id)", logger: logger)
        for try await row in rows { return try Self.endpoint(from: row.makeRandomAccess()) }
        return nil
    }

    public func endpoints() async throws -> [Endpoint] {
        try await Self.allEndpoints(client.query("SELECT * FROM endpoints ORDER BY created_at, id", logger: logger))
    }

    static func allEndpoints(_ rows: PostgresRowSequence) async throws -> [Endpoint] {
        var list: [Endpoint] = []
        for try await row in rows { list.append(try endpoint(from: row.makeRandomAccess())) }
        return list
    }

    static func endpoint(from row: PostgresRandomAccessRow) throws -> Endpoint {
        let events = (try? JSONParser.parse(try row["events"].decode(String.self)))?.arrayValue?.compactMap(\.stringValue)
        let options = (try? JSONParser.parse(try row["options"].decode(String.self))) ?? .object([])
        return Endpoint(
            id: try row["id"].decode(String.self), url: try row["url"].decode(String.self), events: events ?? [],
            description: try row["description"].decode(String.self), active: try row["active"].decode(Bool.self),
            format: try row["format"].decode(String.self), secret: try row["secret"].decode(String.self),
            createdAt: Timestamp.date(milliseconds: try row["created_at"].decode(Int64.self)),
            updatedAt: Timestamp.date(milliseconds: try row["updated_at"].decode(Int64.self)), options: options)
    }

    public func stats(endpointID: String, now: Date) async throws -> DeliveryStats {
        let since = Timestamp.milliseconds(now) - 30 * 86_400_000
        let rows = try await client.query(
            """
            SELECT COUNT(*)::BIGINT,
                COUNT(*) FILTER (WHERE status = 'success')::BIGINT,
                COUNT(*) FILTER (WHERE status = 'failed')::BIGINT,
                COUNT(*) FILTER (WHERE status = 'pending')::BIGINT,
                MAX(delivered_at) FILTER (WHERE status = 'success'),
                MAX(last_attempt_at) FILTER (WHERE status = 'failed'),
                MAX(last_attempt_at),
                (AVG(response_time_ms) FILTER (WHERE status = 'success'))::FLOAT8,
                COUNT(*) FILTER (WHERE created_at >= \(since))::BIGINT
            FROM deliveries WHERE endpoint_id = \(endpointID)
            """, logger: logger)
        for try await row in rows {
            let (total, ok, failed, pending, lastOK, lastFailed, last, avg, recent) = try row.decode(
                (Int64, Int64, Int64, Int64, Int64?, Int64?, Int64?, Double?, Int64).self)
            return DeliveryStats(
                total: Int(total), successful: Int(ok), failed: Int(failed), pending: Int(pending),
                lastSuccessful: lastOK.map(Timestamp.date(milliseconds:)),
                lastFailed: lastFailed.map(Timestamp.date(milliseconds:)),
                lastDelivery: last.map(Timestamp.date(milliseconds:)),
                averageResponseTimeMs: avg.map { Int(saturating: $0.rounded()) }, last30Days: Int(recent))
        }
        return DeliveryStats()
    }

    // MARK: Ingest

    public func ingest(
        _ events: [NewEvent], now: Date, plan: @Sendable (NewEvent, [Endpoint]) -> DeliveryPlan
    ) async throws -> [IngestOutcome] {
        let nowMs = Timestamp.milliseconds(now)
        let windowStart = nowMs - 86_400_000
        let logger = self.logger
        return try await client.withTransaction(logger: logger) { connection in
            let endpoints = try await Self.allEndpoints(
                connection.query("SELECT * FROM endpoints ORDER BY created_at, id", logger: logger))
            // Idempotency: one query for every caller-supplied id in the batch.
            let suppliedIDs = events.filter(\.callerSuppliedID).map(\.event.id)
            var existing: [String: Int] = [:]
            if !suppliedIDs.isEmpty {
                let rows = try await connection.query(
                    PostgresQueries.query(PostgresQueries.eventsByID) {
                        $0.append(suppliedIDs)
                        $0.append(windowStart)
                    }, logger: logger)
                for try await (id, count) in rows.decode((String, Int64).self) { existing[id] = Int(count) }
            }
            var eventColumns = EventColumns()
            var payloadColumns = PayloadColumns()
            var deliveryColumns = DeliveryColumns()
            var outcomes: [IngestOutcome] = []
            var planned: [(NewEvent, DeliveryPlan)] = []
            var seenInBatch = Set<String>()
            for submission in events {
                let id = submission.event.id
                if submission.callerSuppliedID, let count = existing[id] {
                    outcomes.append(IngestOutcome(eventID: id, deliveries: count, duplicate: true))
                    continue
                }
                if submission.callerSuppliedID, !seenInBatch.insert(id).inserted {
                    outcomes.append(IngestOutcome(eventID: id, deliveries: 0, duplicate: true))
                    continue
                }
                planned.append((submission, plan(submission, endpoints)))
                outcomes.append(IngestOutcome(eventID: id, deliveries: 0, duplicate: false))
            }
            guard !planned.isEmpty else { return outcomes }
            let eventSeqs = try await Self.nextValues(connection, "events_seq_seq", planned.count, logger: logger)
            let payloadCount = planned.reduce(0) { $0 + $1.1.bodies.count }
            let payloadSeqs = try await Self.nextValues(connection, "payloads_seq_seq", payloadCount, logger: logger)
            var payloadCursor = 0
            var outcomeIndex = 0
            for (i, (submission, deliveryPlan)) in planned.enumerated() {
                let event = submission.event
                eventColumns.append(seq: eventSeqs[i], event: event, receivedAt: nowMs)
                var bodySeqs: [Int64] = []
                for body in deliveryPlan.bodies {
                    let seq = payloadSeqs[payloadCursor]
                    payloadCursor += 1
                    bodySeqs.append(seq)
                    payloadColumns.append(seq: seq, eventSeq: eventSeqs[i], format: body.format, body: body.bytes)
                }
                var ids: [String] = []
                var sendable = 0
                for item in deliveryPlan.items {
                    let id = Identifier.make(prefix: "del_", at: now)
                    ids.append(id)
                    let payloadSeq = item.bodyIndex.map { bodySeqs[$0] }
                    if payloadSeq != nil { sendable += 1 }
                    deliveryColumns.append(
                        id: id, endpointID: item.endpointID, eventSeq: eventSeqs[i], payloadSeq: payloadSeq,
                        event: event, due: item.dueAt.map(Timestamp.milliseconds) ?? nowMs, createdAt: nowMs,
                        note: item.note)
                }
                while outcomes[outcomeIndex].duplicate || outcomes[outcomeIndex].eventID != event.id {
                    outcomeIndex += 1
                }
                outcomes[outcomeIndex] = IngestOutcome(
                    eventID: event.id, deliveries: sendable, duplicate: false, deliveryIDs: ids)
                outcomeIndex += 1
            }
            try await eventColumns.insert(connection, logger: logger)
            try await payloadColumns.insert(connection, logger: logger)
            try await deliveryColumns.insert(connection, logger: logger)
            if deliveryColumns.ids.count > 0 {
                // Wakes idle workers in every process once this transaction commits.
                try await connection.query("SELECT pg_notify(\(Self.notificationChannel), '')", logger: logger)
            }
            return outcomes
        }
    }

    static func nextValues(_ connection: PostgresConnection, _ sequence: String, _ count: Int, logger: Logger)
        async throws -> [Int64]
    {
        guard count > 0 else { return [] }
        var values: [Int64] = []
        values.reserveCapacity(count)
        let rows = try await connection.query(
            "SELECT nextval(\(sequence)::regclass) FROM generate_series(1, \(count))", logger: logger)
        for try await value in rows.decode(Int64.self) { values.append(value) }
        return values
    }

    // MARK: Worker

    public func claimDue(_ request: ClaimRequest) async throws -> [ClaimedDelivery] {
        guard request.limit > 0 else { return [] }
        let nowMs = Timestamp.milliseconds(request.now)
        let leaseMs = Timestamp.milliseconds(request.leaseUntil)
        let logger = self.logger
        return try await client.withTransaction(logger: logger) { connection in
            var plan = ClaimPlan(request: request)
            for _ in 0..<8 {
                let batch = plan.scanSize
                let full = Array(plan.full)
                let rows = try await connection.query(
                    PostgresQueries.query(PostgresQueries.dueDeliveries) {
                        $0.append(nowMs)
                        $0.append(full)
                        $0.append(Int64(batch))
                    }, logger: logger)
                var candidates: [ClaimPlan.Candidate] = []
                for try await (seq, endpointID, format) in rows.decode((Int64, String, String).self) {
                    candidates.append(.init(sequence: seq, endpointID: endpointID, format: format))
                }
                let taken = plan.take(candidates)
                if !taken.isEmpty {
                    try await connection.query(
                        """
                        UPDATE deliveries SET next_attempt_at = \(leaseMs), lease_owner = \(request.owner)
                        WHERE seq = ANY(\(taken))
                        """, logger: logger)
                }
                if plan.isDone || candidates.count < batch { break }
            }
            guard !plan.taken.isEmpty else { return [] }
            let rows = try await connection.query(
                """
                SELECT d.seq, d.id, d.endpoint_id, e.url, e.format, e.secret, e.options, d.event_id, d.event_type,
                    ev.occurred_at, d.attempts, d.created_at, p.body
                FROM deliveries d
                JOIN endpoints e ON e.id = d.endpoint_id
                JOIN events ev ON ev.seq = d.event_seq
                JOIN payloads p ON p.seq = d.payload_seq
                WHERE d.seq = ANY(\(plan.taken))
                ORDER BY d.seq
                """, logger: logger)
            var claimed: [ClaimedDelivery] = []
            for try await row in rows {
                let r = row.makeRandomAccess()
                var body = try r["body"].decode(ByteBuffer.self)
                claimed.append(
                    ClaimedDelivery(
                        sequence: try r["seq"].decode(Int64.self), id: try r["id"].decode(String.self),
                        endpointID: try r["endpoint_id"].decode(String.self), url: try r["url"].decode(String.self),
                        format: try r["format"].decode(String.self), secret: try r["secret"].decode(String.self),
                        endpointOptions: (try? JSONParser.parse(try r["options"].decode(String.self))) ?? .object([]),
                        eventID: try r["event_id"].decode(String.self), eventType: try r["event_type"].decode(String.self),
                        occurredAt: Timestamp.date(milliseconds: try r["occurred_at"].decode(Int64.self)),
                        attempts: Int(try r["attempts"].decode(Int32.self)),
                        createdAt: Timestamp.date(milliseconds: try r["created_at"].decode(Int64.self)),
                        body: body.readBytes(length: body.readableBytes) ?? []))
            }
            return claimed
        }
    }

    public func record(_ results: [AttemptRecord]) async throws {
        guard !results.isEmpty else { return }
        var seqs: [Int64] = []
        var attempted: [Int64] = []
        var statuses: [Int64] = []
        var latencies: [Int64] = []
        var errors: [String] = []
        var bodies: [ByteBuffer] = []
        var states: [String] = []
        var nexts: [Int64] = []
        var delivered: [Int64] = []
        for result in results {
            let a = result.attempt
            let at = Timestamp.milliseconds(a.attemptedAt)
            seqs.append(result.deliverySequence)
            attempted.append(at)
            statuses.append(Int64(a.responseStatus ?? -1))
            latencies.append(Int64(a.responseTimeMs))
            errors.append(a.error ?? "")
            bodies.append(ByteBuffer(bytes: a.responseBody))
            switch result.next {
            case .delivered:
                states.append("success")
                nexts.append(-1)
                delivered.append(at)
            case .retry(let date):
                states.append("pending")
                nexts.append(Timestamp.milliseconds(date))
                delivered.append(-1)
            case .failed:
                states.append("failed")
                nexts.append(-1)
                delivered.append(-1)
            }
        }
        let logger = self.logger
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO attempts (delivery_seq, attempted_at, response_status, response_time_ms, error, response_body)
                SELECT s, a, NULLIF(st, -1)::INT, l::INT, NULLIF(er, ''), b
                FROM UNNEST(\(seqs)::BIGINT[], \(attempted)::BIGINT[], \(statuses)::BIGINT[], \(latencies)::BIGINT[],
                    \(errors)::TEXT[], \(bodies)::BYTEA[]) AS t(s, a, st, l, er, b)
                WHERE EXISTS (SELECT 1 FROM deliveries d WHERE d.seq = t.s)
                """, logger: logger)
            try await connection.query(
                """
                UPDATE deliveries d SET attempts = d.attempts + 1, status = t.state, next_attempt_at = NULLIF(t.next, -1),
                    lease_owner = NULL, response_status = NULLIF(t.st, -1)::INT, response_time_ms = t.l::INT,
                    last_attempt_at = t.a, delivered_at = COALESCE(NULLIF(t.dv, -1), d.delivered_at), note = NULLIF(t.er, '')
                FROM UNNEST(\(seqs)::BIGINT[], \(states)::TEXT[], \(nexts)::BIGINT[], \(statuses)::BIGINT[],
                    \(latencies)::BIGINT[], \(attempted)::BIGINT[], \(delivered)::BIGINT[], \(errors)::TEXT[])
                    AS t(s, state, next, st, l, a, dv, er)
                WHERE d.seq = t.s AND d.status = 'pending'
                """, logger: logger)
        }
    }

    public func extendLeases(_ sequences: [Int64], until: Date, owner: String) async throws {
        guard !sequences.isEmpty else { return }
        try await client.query(
            """
            UPDATE deliveries SET next_attempt_at = \(Timestamp.milliseconds(until))
            WHERE lease_owner = \(owner) AND status = 'pending' AND seq = ANY(\(sequences))
            """, logger: logger)
    }

    public func releaseLeases(owner: String?) async throws {
        let nowMs = Timestamp.milliseconds(Date())
        if let owner {
            try await client.query(
                "UPDATE deliveries SET next_attempt_at = \(nowMs), lease_owner = NULL WHERE lease_owner = \(owner)",
                logger: logger)
        } else {
            try await client.query(
                "UPDATE deliveries SET next_attempt_at = \(nowMs), lease_owner = NULL WHERE lease_owner IS NOT NULL",
                logger: logger)
        }
    }

    public func nextDueAt() async throws -> Date? {
        let rows = try await client.query(PostgresQuery(unsafeSQL: PostgresQueries.nextDue), logger: logger)
        for try await value in rows.decode(Int64?.self) { return value.map(Timestamp.date(milliseconds:)) }
        return nil
    }

    // MARK: Reading the log

    public func deliveries(_ query: DeliveryQuery) async throws -> DeliveryPage {
        let status = query.status?.rawValue
        let before = query.before ?? Int64.max
        var total = 0
        let countRows = try await client.query(
            PostgresQueries.query(PostgresQueries.endpointDeliveryCount) {
                $0.append(query.endpointID)
                $0.append(status)
            }, logger: logger)
        for try await count in countRows.decode(Int64.self) { total = Int(count) }
        let rows = try await client.query(
            PostgresQueries.query(PostgresQueries.endpointDeliveries) {
                $0.append(query.endpointID)
                $0.append(status)
                $0.append(before)
                $0.append(Int64(query.limit + 1))
            }, logger: logger)
        var list: [Delivery] = []
        for try await row in rows { list.append(try Self.delivery(from: row.makeRandomAccess())) }
        let hasMore = list.count > query.limit
        return DeliveryPage(deliveries: Array(list.prefix(query.limit)), total: total, hasMore: hasMore)
    }

    public func delivery(endpointID: String, id: String) async throws -> (Delivery, [Attempt])? {
        let rows = try await client.query(
            PostgresQueries.query(PostgresQueries.deliveryByID) {
                $0.append(id)
                $0.append(endpointID)
            }, logger: logger)
        var found: Delivery?
        for try await row in rows { found = try Self.delivery(from: row.makeRandomAccess()) }
        guard let delivery = found else { return nil }
        var attempts: [Attempt] = []
        let attemptRows = try await client.query(
            PostgresQueries.query(PostgresQueries.attemptsOfDelivery) { $0.append(delivery.sequence) }, logger: logger)
        for try await (at, status, latency, error, body) in attemptRows.decode(
            (Int64, Int32?, Int32, String?, ByteBuffer?).self)
        {
            attempts.append(
                Attempt(
                    attemptedAt: Timestamp.date(milliseconds: at), responseStatus: status.map(Int.init),
                    responseTimeMs: Int(latency), error: error, responseBody: body.map { Array($0.readableBytesView) } ?? []))
        }
        return (delivery, attempts)
    }

    public func delivery(id: String) async throws -> Delivery? {
        let rows = try await client.query(
            "SELECT d.*, ev.data FROM deliveries d JOIN events ev ON ev.seq = d.event_seq WHERE d.id = \(id)",
            logger: logger)
        for try await row in rows { return try Self.delivery(from: row.makeRandomAccess()) }
        return nil
    }

    static func delivery(from r: PostgresRandomAccessRow) throws -> Delivery {
        let data = try r["data"].decode(ByteBuffer.self)
        let status = try r["status"].decode(String.self)
        func date(_ column: String) throws -> Date? {
            try r[column].decode(Int64?.self).map(Timestamp.date(milliseconds:))
        }
        return Delivery(
            id: try r["id"].decode(String.self), sequence: try r["seq"].decode(Int64.self),
            endpointID: try r["endpoint_id"].decode(String.self), eventID: try r["event_id"].decode(String.self),
            eventType: try r["event_type"].decode(String.self), status: Delivery.Status(rawValue: status) ?? .pending,
            attempts: Int(try r["attempts"].decode(Int32.self)),
            responseStatus: try r["response_status"].decode(Int32?.self).map(Int.init),
            responseTimeMs: try r["response_time_ms"].decode(Int32?.self).map(Int.init),
            deliveredAt: try date("delivered_at"), nextAttemptAt: status == "pending" ? try date("next_attempt_at") : nil,
            lastAttemptAt: try date("last_attempt_at"),
            createdAt: Timestamp.date(milliseconds: try r["created_at"].decode(Int64.self)),
            eventData: (try? JSONParser.parse(data.readableBytesView)) ?? .null, note: try r["note"].decode(String?.self))
    }

    // MARK: Housekeeping

    public func ping() async throws {
        try await client.query("SELECT 1", logger: logger)
    }

    public func purge(olderThan cutoff: Date, batchSize: Int) async throws -> Int {
        let cutoffMs = Timestamp.milliseconds(cutoff)
        let rows = try await client.query(
            PostgresQueries.query(PostgresQueries.purgeDeliveries) {
                $0.append(cutoffMs)
                $0.append(Int64(batchSize))
            }, logger: logger)
        var removed = 0
        for try await _ in rows { removed += 1 }
        try await client.query(
            PostgresQueries.query(PostgresQueries.purgeEvents) {
                $0.append(cutoffMs)
                $0.append(Int64(batchSize))
            }, logger: logger)
        return removed
    }
}
