import Logging
import NIOCore
import PostgresNIO
import WirehookCore

// Column-wise buffers for `INSERT … SELECT FROM UNNEST(…)`: one statement per table per ingest
// batch instead of one round trip per row.

struct EventColumns {
    var seqs: [Int64] = []
    var ids: [String] = []
    var types: [String] = []
    var occurred: [Int64] = []
    var received: [Int64] = []
    var sources: [String] = []
    var data: [ByteBuffer] = []
    var attributes: [ByteBuffer] = []

    mutating func append(seq: Int64, event: Event, receivedAt: Int64) {
        seqs.append(seq)
        ids.append(event.id)
        types.append(event.type)
        occurred.append(Timestamp.milliseconds(event.occurredAt))
        received.append(receivedAt)
        sources.append(event.source)
        data.append(ByteBuffer(bytes: JSONWriter.serialize(event.data)))
        attributes.append(ByteBuffer(bytes: JSONWriter.serialize(event.attributes)))
    }

    func insert(_ connection: PostgresConnection, logger: Logger) async throws {
        guard !seqs.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO events (seq, id, type, occurred_at, received_at, source, data, attributes)
            SELECT * FROM UNNEST(\(seqs)::BIGINT[], \(ids)::TEXT[], \(types)::TEXT[], \(occurred)::BIGINT[],
                \(received)::BIGINT[], \(sources)::TEXT[], \(data)::BYTEA[], \(attributes)::BYTEA[])
            """, logger: logger)
    }
}

struct PayloadColumns {
    var seqs: [Int64] = []
    var eventSeqs: [Int64] = []
    var formats: [String] = []
    var bodies: [ByteBuffer] = []

    mutating func append(seq: Int64, eventSeq: Int64, format: String, body: [UInt8]) {
        seqs.append(seq)
        eventSeqs.append(eventSeq)
        formats.append(format)
        bodies.append(ByteBuffer(bytes: body))
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
    /// -1 for a skipped delivery (no body); NULL in the table.
    var payloadSeqs: [Int64] = []
    var eventIDs: [String] = []
    var eventTypes: [String] = []
    var statuses: [String] = []
    var due: [Int64] = []
    var created: [Int64] = []
    var notes: [String] = []

    mutating func append(
        id: String, endpointID: String, eventSeq: Int64, payloadSeq: Int64?, event: Event, due dueAt: Int64,
        createdAt: Int64, note: String?
    ) {
        ids.append(id)
        endpointIDs.append(endpointID)
        eventSeqs.append(eventSeq)
        payloadSeqs.append(payloadSeq ?? -1)
        eventIDs.append(event.id)
        eventTypes.append(event.type)
        statuses.append(payloadSeq == nil ? Delivery.Status.skipped.rawValue : Delivery.Status.pending.rawValue)
        due.append(payloadSeq == nil ? -1 : dueAt)
        created.append(createdAt)
        notes.append(note ?? "")
    }

    func insert(_ connection: PostgresConnection, logger: Logger) async throws {
        guard !ids.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO deliveries (id, endpoint_id, event_seq, payload_seq, event_id, event_type, status,
                next_attempt_at, created_at, note)
            SELECT i, en, es, NULLIF(ps, -1), ei, et, st, NULLIF(du, -1), cr, NULLIF(nt, '')
            FROM UNNEST(\(ids)::TEXT[], \(endpointIDs)::TEXT[], \(eventSeqs)::BIGINT[], \(payloadSeqs)::BIGINT[],
                \(eventIDs)::TEXT[], \(eventTypes)::TEXT[], \(statuses)::TEXT[], \(due)::BIGINT[], \(created)::BIGINT[],
                \(notes)::TEXT[]) AS t(i, en, es, ps, ei, et, st, du, cr, nt)
            """, logger: logger)
    }
}
