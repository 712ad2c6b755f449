import Logging
import NIOCore
import PostgresNIO
import WirehookCore

// Column-wise buffers for `INSERT … SELECT FROM UNNEST(…)`: one statement for an ingest batch's
// events, payloads and deliveries (`IngestInsert`) instead of one round trip per row or per
// table. NULL travels as a sentinel (-1 or ''), since postgres-nio binds arrays without NULL
// elements.

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
}

/// An ingest batch's rows in one statement: the events, their payloads, the deliveries with
/// their counts in `delivery_counts` (DeliveryCountStatements), and, when there are deliveries,
/// the notification that wakes idle workers in every process once the transaction commits.
/// Nothing references the events or payloads by a foreign key, so the order of the inserts
/// inside the statement does not matter.
enum IngestInsert {
    static let sql = """
        WITH events_in AS (
            INSERT INTO events (seq, id, type, occurred_at, received_at, source, data, attributes, trace_parent)
            SELECT s, i, t, o, r, so, d, a, NULLIF(tp, '')
            FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::BIGINT[], $5::BIGINT[], $6::TEXT[], $7::BYTEA[],
                $8::BYTEA[], $9::TEXT[]) AS u(s, i, t, o, r, so, d, a, tp)),
        payloads_in AS (
            INSERT INTO payloads (seq, event_seq, format, body)
            SELECT * FROM UNNEST($10::BIGINT[], $11::BIGINT[], $12::TEXT[], $13::BYTEA[])),
        inserted AS (
            INSERT INTO deliveries (id, endpoint_id, event_seq, payload_seq, event_id, event_type, status,
                next_attempt_at, created_at, note, next_trigger)
            SELECT i, en, es, NULLIF(ps, -1), ei, et, st, NULLIF(du, -1), cr, NULLIF(nt, ''), NULLIF(tr, '')
            FROM UNNEST($14::TEXT[], $15::TEXT[], $16::BIGINT[], $17::BIGINT[], $18::TEXT[], $19::TEXT[], $20::TEXT[],
                $21::BIGINT[], $22::BIGINT[], $23::TEXT[], $24::TEXT[]) AS t(i, en, es, ps, ei, et, st, du, cr, nt, tr)
            RETURNING endpoint_id, seq, created_at, status),
        counted AS (
            INSERT INTO delivery_counts AS c (\(DeliveryCountStatements.columns))
            SELECT endpoint_id, wirehook_delivery_day(seq, created_at), $25::SMALLINT, COUNT(*),
                COUNT(*) FILTER (WHERE status = 'pending'), COUNT(*) FILTER (WHERE status = 'success'),
                COUNT(*) FILTER (WHERE status = 'failed'), 0, 0, NULL::BIGINT, NULL::BIGINT, NULL::BIGINT
            FROM inserted GROUP BY 1, 2 ORDER BY 1, 2
            \(DeliveryCountStatements.add))
        SELECT pg_notify($26, '') WHERE cardinality($14::TEXT[]) > 0
        """

    static func query(
        events: EventColumns, payloads: PayloadColumns, deliveries: DeliveryColumns, countShard: Int16, channel: String
    ) -> PostgresQuery {
        var bindings = PostgresBindings()
        bindings.append(events.seqs)
        bindings.append(events.ids)
        bindings.append(events.types)
        bindings.append(events.occurred)
        bindings.append(events.received)
        bindings.append(events.sources)
        bindings.append(events.data)
        bindings.append(events.attributes)
        bindings.append(events.traceParents)
        bindings.append(payloads.seqs)
        bindings.append(payloads.eventSeqs)
        bindings.append(payloads.formats)
        bindings.append(payloads.bodies)
        bindings.append(deliveries.ids)
        bindings.append(deliveries.endpointIDs)
        bindings.append(deliveries.eventSeqs)
        bindings.append(deliveries.payloadSeqs)
        bindings.append(deliveries.eventIDs)
        bindings.append(deliveries.eventTypes)
        bindings.append(deliveries.statuses)
        bindings.append(deliveries.due)
        bindings.append(deliveries.created)
        bindings.append(deliveries.notes)
        bindings.append(deliveries.triggers)
        bindings.append(countShard)
        bindings.append(channel)
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }
}
