import Logging
import NIOCore
import PostgresNIO
import WirehookCore

// Column-wise buffers for `INSERT … SELECT FROM UNNEST(…)`: one statement per table per ingest
// batch instead of one round trip per row. NULL travels as a sentinel (-1 or ''), since
// postgres-nio binds arrays without NULL elements.

struct EventColumns {
    var seqs: [Int64] = []
    var ids: [String] = []
    var types: [String] = []
    var occurred: [Int64] = []
    var received: [Int64] = []
    var sources: [String] = []
    var data: [ByteBuffer] = []
    var attributes: [ByteBuffer] = []
    var traceParents: [String] = []

    init(_ rows: [IngestRows.EventRow]) {
        for row in rows {
            seqs.append(row.sequence)
            ids.append(row.id)
            types.append(row.type)
            occurred.append(row.occurredAtMs)
            received.append(row.receivedAtMs)
            sources.append(row.source)
            data.append(ByteBuffer(bytes: row.data))
            attributes.append(ByteBuffer(bytes: row.attributes))
            traceParents.append(row.traceParent ?? "")
        }
    }

    func insert(_ connection: PostgresConnection, logger: Logger) async throws {
        guard !seqs.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO events (seq, id, type, occurred_at, received_at, source, data, attributes, trace_parent)
            SELECT s, i, t, o, r, so, d, a, NULLIF(tp, '')
            FROM UNNEST(\(seqs)::BIGINT[], \(ids)::TEXT[], \(types)::TEXT[], \(occurred)::BIGINT[],
                \(received)::BIGINT[], \(sources)::TEXT[], \(data)::BYTEA[], \(attributes)::BYTEA[],
                \(traceParents)::TEXT[]) AS u(s, i, t, o, r, so, d, a, tp)
            """, logger: logger)
    }
}

struct PayloadColumns {
    var seqs: [Int64]
    var eventSeqs: [Int64] = []
    var formats: [String] = []
    var bodies: [ByteBuffer] = []

    init(_ rows: [IngestRows.PayloadRow], sequences: [Int64]) {
        seqs = sequences
        for row in rows {
            eventSeqs.append(row.eventSequence)
            formats.append(row.format)
            bodies.append(ByteBuffer(bytes: row.body))
        }
    }

    func insert(_ connection: PostgresConnection, logger: Logger) async throws {
        guard !seqs.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO payloads (seq, event_seq, format, body)
            SELECT * FROM UNNEST(\(seqs)::BIGINT[], \(eventSeqs)::BIGINT[], \(formats)::TEXT[], \(bodies)::BYTEA[])
            """, logger: logger)
    }
}

struct DeliveryColumns {
    var ids: [String] = []
    var endpointIDs: [String] = []
    var eventSeqs: [Int64] = []
    var payloadSeqs: [Int64] = []
    var eventIDs: [String] = []
    var eventTypes: [String] = []
    var statuses: [String] = []
    var due: [Int64] = []
    var created: [Int64] = []
    var notes: [String] = []
    var triggers: [String] = []

    init(_ rows: [IngestRows.DeliveryRow], payloadSequences: [Int64]) {
        for row in rows {
            ids.append(row.id)
            endpointIDs.append(row.endpointID)
            eventSeqs.append(row.eventSequence)
            payloadSeqs.append(row.payloadIndex.map { payloadSequences[$0] } ?? -1)
            eventIDs.append(row.eventID)
            eventTypes.append(row.eventType)
            statuses.append(row.status.rawValue)
            due.append(row.nextAttemptAtMs ?? -1)
            created.append(row.createdAtMs)
            notes.append(row.note ?? "")
            triggers.append(row.trigger?.rawValue ?? "")
        }
    }

    /// Inserts the rows and adds them to `delivery_counts` in `shard`, in one statement.
    func insert(_ connection: PostgresConnection, countShard shard: Int16, logger: Logger) async throws {
        guard !ids.isEmpty else { return }
        try await connection.query(
            """
            WITH inserted AS (
                INSERT INTO deliveries (id, endpoint_id, event_seq, payload_seq, event_id, event_type, status,
                    next_attempt_at, created_at, note, next_trigger)
                SELECT i, en, es, NULLIF(ps, -1), ei, et, st, NULLIF(du, -1), cr, NULLIF(nt, ''), NULLIF(tr, '')
                FROM UNNEST(\(ids)::TEXT[], \(endpointIDs)::TEXT[], \(eventSeqs)::BIGINT[], \(payloadSeqs)::BIGINT[],
                    \(eventIDs)::TEXT[], \(eventTypes)::TEXT[], \(statuses)::TEXT[], \(due)::BIGINT[], \(created)::BIGINT[],
                    \(notes)::TEXT[], \(triggers)::TEXT[]) AS t(i, en, es, ps, ei, et, st, du, cr, nt, tr)
                RETURNING endpoint_id, seq, created_at, status)
            INSERT INTO delivery_counts AS c (\(unescaped: DeliveryCountStatements.columns))
            SELECT endpoint_id, wirehook_delivery_day(seq, created_at), \(shard), COUNT(*),
                COUNT(*) FILTER (WHERE status = 'pending'), COUNT(*) FILTER (WHERE status = 'success'),
                COUNT(*) FILTER (WHERE status = 'failed'), 0, 0, NULL::BIGINT, NULL::BIGINT, NULL::BIGINT
            FROM inserted GROUP BY 1, 2 ORDER BY 1, 2
            \(unescaped: DeliveryCountStatements.add)
            """, logger: logger)
    }
}
