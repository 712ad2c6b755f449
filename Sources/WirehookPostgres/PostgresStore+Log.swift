import Foundation
import NIOCore
import PostgresNIO
import WirehookCore

extension PostgresStore: DeliveryLog {
    public func deliveries(_ query: DeliveryQuery) async throws -> DeliveryPage {
        let status = query.status?.rawValue
        let before = query.before ?? Int64.max
        var total = 0
        if query.eventType == nil {
            // The counters know the total; only a type filter needs the rows counted.
            total = try await stats(endpointID: query.endpointID, now: Date()).count(of: query.status)
        } else {
            let countRows = try await client.query(
                PostgresQueries.query(PostgresQueries.endpointDeliveryCount) {
                    $0.append(query.endpointID)
                    $0.append(status)
                    $0.append(query.eventType)
                }, logger: logger)
            for try await count in countRows.decode(Int64.self) { total = Int(clamping: count) }
        }
        let rows = try await client.query(
            PostgresQueries.query(PostgresQueries.endpointDeliveries) {
                $0.append(query.endpointID)
                $0.append(status)
                $0.append(before)
                $0.append(Int64(query.limit) + 1)
                $0.append(query.eventType)
            }, logger: logger)
        var list: [Delivery] = []
        for try await row in rows { list.append(try Self.delivery(from: row.makeRandomAccess())) }
        return DeliveryPage(deliveries: Array(list.prefix(query.limit)), total: total, hasMore: list.count > query.limit)
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
        for try await (at, status, latency, error, body, trigger) in attemptRows.decode(
            (Int64, Int32?, Int32, String?, ByteBuffer?, String).self)
        {
            attempts.append(
                Attempt(
                    attemptedAt: Timestamp.date(milliseconds: at), responseStatus: status.map(Int.init),
                    responseTimeMs: Int(latency), error: error, responseBody: body.map { Array($0.readableBytesView) } ?? [],
                    trigger: AttemptTrigger(rawValue: trigger) ?? .schedule))
        }
        return (delivery, attempts)
    }

    public func delivery(id: String) async throws -> Delivery? {
        let rows = try await client.query(
            "SELECT d.*, ev.data FROM deliveries d JOIN events ev ON ev.seq = d.event_seq WHERE d.id = \(id)",
            logger: logger)
        // The first row is taken out of the loop before decoding: a throwing call returned from
        // inside `for try await` crashes the Swift 6.3 optimizer (coroutine splitting) in release builds.
        var first: PostgresRow?
        for try await row in rows {
            first = row
            break
        }
        guard let row = first else { return nil }
        return try Self.delivery(from: row.makeRandomAccess())
    }

    public func event(id: String) async throws -> Event? {
        let rows = try await client.query(
            "SELECT id, type, occurred_at, source, data, attributes FROM events WHERE id = \(id) ORDER BY seq DESC LIMIT 1",
            logger: logger)
        for try await (id, type, occurred, source, data, attributes) in rows.decode(
            (String, String, Int64, String, ByteBuffer, ByteBuffer).self)
        {
            return Event(
                id: id, type: type, occurredAt: Timestamp.date(milliseconds: occurred),
                data: (try? JSONParser.parse(data.readableBytesView)) ?? .null, source: source,
                attributes: (try? JSONParser.parse(attributes.readableBytesView)) ?? .object([]))
        }
        return nil
    }

    static func delivery(from r: PostgresRandomAccessRow) throws -> Delivery {
        DeliveryRow(
            id: try r["id"].decode(String.self), sequence: try r["seq"].decode(Int64.self),
            endpointID: try r["endpoint_id"].decode(String.self), eventID: try r["event_id"].decode(String.self),
            eventType: try r["event_type"].decode(String.self), status: try r["status"].decode(String.self),
            attempts: Int64(try r["attempts"].decode(Int32.self)),
            responseStatus: try r["response_status"].decode(Int32?.self).map(Int64.init),
            responseTimeMs: try r["response_time_ms"].decode(Int32?.self).map(Int64.init),
            deliveredAtMs: try r["delivered_at"].decode(Int64?.self),
            nextAttemptAtMs: try r["next_attempt_at"].decode(Int64?.self),
            lastAttemptAtMs: try r["last_attempt_at"].decode(Int64?.self),
            createdAtMs: try r["created_at"].decode(Int64.self),
            eventData: Array(try r["data"].decode(ByteBuffer.self).readableBytesView), note: try r["note"].decode(String?.self)
        ).delivery
    }

    public func attemptHistogram(endpointID: String, now: Date, width: Duration, count: Int) async throws
        -> AttemptHistogram
    {
        let window = AttemptHistogram.window(now: now, width: width, count: count)
        let rows = try await client.query(
            PostgresQueries.query(PostgresQueries.attemptBuckets) {
                $0.append(endpointID)
                $0.append(window.startMs)
                $0.append(window.widthMs)
            }, logger: logger)
        var counts: [(index: Int64, successes: Int64, failures: Int64)] = []
        for try await (index, ok, bad) in rows.decode((Int64, Int64, Int64).self) {
            counts.append((index, ok, bad))
        }
        return AttemptHistogram(startMs: window.startMs, widthMs: window.widthMs, count: window.count, rows: counts)
    }

    public func stats(endpointID: String, now: Date) async throws -> DeliveryStats {
        try await deliveryStats(DeliveryCountStatements.stats, endpointID: endpointID, now: now)
    }

    public func recountStats(endpointID: String, now: Date) async throws -> DeliveryStats {
        try await deliveryStats(DeliveryCountStatements.recount, endpointID: endpointID, now: now)
    }

    /// Runs one of the two statements that answer the same columns.
    private func deliveryStats(_ sql: String, endpointID: String, now: Date) async throws -> DeliveryStats {
        let rows = try await client.query(
            PostgresQueries.query(sql) {
                $0.append(endpointID)
                $0.append(DeliveryStats.recentSinceDay(now))
            }, logger: logger)
        var stats = DeliveryStats()
        for try await row in rows {
            let (total, ok, failed, pending, lastOK, lastFailed, last, msSum, msCount, recent) = try row.decode(
                (Int64, Int64, Int64, Int64, Int64?, Int64?, Int64?, Int64, Int64, Int64).self)
            // Never below zero, even if the counters ever drifted: the figures are counts.
            stats = DeliveryStats(
                total: Int(clamping: max(0, total)), successful: Int(clamping: max(0, ok)),
                failed: Int(clamping: max(0, failed)), pending: Int(clamping: max(0, pending)), lastSuccessful: lastOK.map(Timestamp.date(milliseconds:)),
                lastFailed: lastFailed.map(Timestamp.date(milliseconds:)),
                lastDelivery: last.map(Timestamp.date(milliseconds:)),
                averageResponseTimeMs: DeliveryStats.averageMs(sum: msSum, count: msCount),
                last30Days: Int(clamping: max(0, recent)))
        }
        return stats
    }

    public func attemptFeed(after cursor: Int64, limit: Int) async throws -> [AttemptFeedEntry] {
        let rows = try await client.query(
            PostgresQueries.query(PostgresQueries.attemptFeed) {
                $0.append(cursor)
                $0.append(Int64(max(1, limit)))
            }, logger: logger)
        var entries: [AttemptFeedEntry] = []
        for try await (seq, at, status, latency, error, trigger, id, endpointID, eventID, eventType, state, number)
            in rows.decode((Int64, Int64, Int32?, Int32, String?, String, String, String, String, String, String, Int64).self)
        {
            entries.append(
                AttemptFeedEntry(
                    cursor: seq, attemptedAt: Timestamp.date(milliseconds: at), endpointID: endpointID,
                    deliveryID: id, eventID: eventID, eventType: eventType, attemptNumber: Int(clamping: number),
                    responseStatus: status.map(Int.init), responseTimeMs: Int(latency), error: error,
                    trigger: AttemptTrigger(rawValue: trigger) ?? .schedule,
                    deliveryStatus: Delivery.Status(rawValue: state) ?? .pending))
        }
        return entries
    }

    public func latestAttemptCursor() async throws -> Int64 {
        let rows = try await client.query("SELECT COALESCE(MAX(seq), 0)::BIGINT FROM attempts", logger: logger)
        for try await latest in rows.decode(Int64.self) { return latest }
        return 0
    }
}
