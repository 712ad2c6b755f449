import PostgresNIO

/// The statements that run on every delivery or every page view. They live here, as text with
/// `$n` parameters, so a test can `EXPLAIN` exactly what the store runs and fail on a sequential
/// scan (see docs/scaling.md for the plans).
public enum PostgresQueries {
    /// Due work of each endpoint that can take some, oldest first, skipping rows another process
    /// holds: one probe of `deliveries_pending_by_endpoint` per endpoint, so one endpoint's backlog
    /// is never walked to reach the others'. Rows under a live lease are read past: they are the
    /// deliveries in flight, as many as the workers' per-endpoint cap. `$1` now, `$2` endpoint
    /// ids, `$3` how many rows of each. The event and payload seqs come along so loading the
    /// bodies names their days' partitions.
    public static let dueOfEndpoints = """
        SELECT c.seq, w.endpoint_id, c.next_attempt_at, c.event_seq, c.payload_seq
        FROM UNNEST($2::TEXT[], $3::BIGINT[]) AS w(endpoint_id, room)
        CROSS JOIN LATERAL (
            SELECT d.seq, d.next_attempt_at, d.event_seq, COALESCE(d.payload_seq, -1) AS payload_seq FROM deliveries d
            WHERE d.endpoint_id = w.endpoint_id AND d.status = 'pending' AND d.next_attempt_at <= $1
                AND NOT EXISTS (SELECT 1 FROM delivery_leases l WHERE l.seq = d.seq AND l.until > $1)
            ORDER BY d.next_attempt_at LIMIT w.room
            FOR UPDATE OF d SKIP LOCKED) c
        """

    /// A whole claim in one statement, when every endpoint it reads takes single deliveries (no
    /// batches, no probe): each endpoint's due rows as in `dueOfEndpoints`, the oldest `$4` of
    /// them across endpoints (what `ClaimPlan.take` keeps when nothing is batched), their leases
    /// as in `leaseAndLoad`, and their bodies. It runs inside `wirehook_claim_due` (migration 18),
    /// whose plan PostgreSQL keeps per connection, generic: planned on every call it would read
    /// every day's partition; generic, the events and payloads joins prune to the days their rows
    /// name while running. `$1` now, `$2` endpoint ids, `$3` how many rows of each, `$4` how many
    /// in all, `$5` owner, `$6` lease deadline. Changing it needs a migration that replaces the
    /// function (a test compares the two).
    public static let claimDue = """
        WITH due AS (
            SELECT c.* FROM UNNEST($2::TEXT[], $3::BIGINT[]) AS w(endpoint_id, room)
            CROSS JOIN LATERAL (
                SELECT d.seq, d.id, d.endpoint_id, d.event_id, d.event_type, d.attempts, d.scheduled_attempts,
                    d.next_trigger, d.created_at, d.next_attempt_at, d.event_seq, d.payload_seq
                FROM deliveries d
                WHERE d.endpoint_id = w.endpoint_id AND d.status = 'pending' AND d.next_attempt_at <= $1
                    AND NOT EXISTS (SELECT 1 FROM delivery_leases l WHERE l.seq = d.seq AND l.until > $1)
                ORDER BY d.next_attempt_at LIMIT w.room
                FOR UPDATE OF d SKIP LOCKED) c
            ORDER BY c.next_attempt_at, c.seq LIMIT $4),
        leased AS (
            INSERT INTO delivery_leases AS l (seq, owner, until) SELECT due.seq, $5, $6 FROM due
            ON CONFLICT ON CONSTRAINT delivery_leases_pkey DO UPDATE SET owner = EXCLUDED.owner, until = EXCLUDED.until
            WHERE l.until <= $1
            RETURNING l.seq)
        SELECT due.seq, due.id, due.endpoint_id, due.event_id, due.event_type, ev.occurred_at, due.attempts,
            due.scheduled_attempts, due.next_trigger, due.created_at, p.body, ev.trace_parent
        FROM leased JOIN due ON due.seq = leased.seq
        JOIN events ev ON ev.seq = due.event_seq
        JOIN payloads p ON p.seq = due.payload_seq
        ORDER BY due.seq
        """

    /// `wirehook_claim_due`: `claimDue` as a function, so its plan is made once per connection
    /// (`plan_cache_mode` applies to the function's own statement alone) and the claim is one
    /// round trip with no BEGIN and COMMIT around it. A claim only leases: if PostgreSQL loses its
    /// commit in a crash, the rows are simply due again, so the commit does not wait for the WAL
    /// flush (`set_config(..., true)` lasts to the end of the statement's own transaction).
    static let claimDueFunction = """
        CREATE OR REPLACE FUNCTION wirehook_claim_due(BIGINT, TEXT[], BIGINT[], BIGINT, TEXT, BIGINT)
        RETURNS TABLE (seq BIGINT, id TEXT, endpoint_id TEXT, event_id TEXT, event_type TEXT, occurred_at BIGINT,
            attempts INT, scheduled_attempts INT, next_trigger TEXT, created_at BIGINT, body BYTEA, trace_parent TEXT)
        LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $claim$
        #variable_conflict use_column
        BEGIN
        PERFORM set_config('synchronous_commit', 'off', true);
        RETURN QUERY
        \(claimDue);
        END
        $claim$
        """

    /// Leases the rows a claim took and loads their bodies, in one round trip. The lease is the
    /// arbiter between processes: a row whose live lease another process committed after this
    /// claim's scan read it is not taken again (the row itself was never changed, so its row lock
    /// alone cannot tell). The seqs are written into the text as constants, so the plan reads
    /// only their days' partitions under the generic-plan mode the claim's transaction set for
    /// its scan: as parameters they would need that mode set back first, one more round trip.
    /// `$1` lease deadline, `$2` owner, `$3` now.
    public static func leaseAndLoad(sequences: [Int64], events: [Int64], payloads: [Int64]) -> String {
        func constant(_ values: [Int64]) -> String { "'{\(values.map(String.init).joined(separator: ","))}'::BIGINT[]" }
        return """
            WITH leased AS (
                INSERT INTO delivery_leases AS l (seq, owner, until)
                SELECT s, $2, $1 FROM UNNEST(\(constant(sequences))) AS s
                ON CONFLICT (seq) DO UPDATE SET owner = EXCLUDED.owner, until = EXCLUDED.until WHERE l.until <= $3
                RETURNING seq)
            SELECT d.seq, d.id, d.endpoint_id, d.event_id, d.event_type, ev.occurred_at, d.attempts,
                d.scheduled_attempts, d.next_trigger, d.created_at, p.body, ev.trace_parent
            FROM leased
            JOIN deliveries d ON d.seq = leased.seq
            JOIN events ev ON ev.seq = d.event_seq
            JOIN payloads p ON p.seq = d.payload_seq
            WHERE d.seq = ANY(\(constant(sequences))) AND ev.seq = ANY(\(constant(events)))
                AND p.seq = ANY(\(constant(payloads)))
            ORDER BY d.seq
            """
    }

    /// The earliest time a delivery is due, for sleeping until then: per endpoint, the first row
    /// of `deliveries_pending_by_endpoint` that no lease holds, and the end of each lease on a
    /// pending row (an expired lease's row is due again). A global due-time index would be one
    /// more index on every insert.
    public static let nextDue = """
        SELECT LEAST(
            (SELECT MIN((SELECT d.next_attempt_at FROM deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending'
                AND NOT EXISTS (SELECT 1 FROM delivery_leases l WHERE l.seq = d.seq)
                ORDER BY d.next_attempt_at LIMIT 1)) FROM endpoints e),
            (SELECT MIN(GREATEST(l.until, d.next_attempt_at)) FROM delivery_leases l
                JOIN deliveries d ON d.seq = l.seq AND d.status = 'pending'))
        """

    /// A worker's results, in one statement: one attempt row each, for deliveries still there
    /// (the endpoint may have been deleted while the attempt ran), their leases released, the
    /// deliveries changed, and their counts (DeliveryCountStatements); it returns the endpoints'
    /// rows, whose health the results may move. The repeated `seq = ANY($1)` lets the planner
    /// read only the days those deliveries are in; joined through UNNEST alone it plans them all.
    /// `$1` delivery seqs, `$2` attempted at, `$3` status or -1, `$4` response time, `$5` error or
    /// '', `$6` response body, `$7` trigger, `$8` new status, `$9` next attempt or -1, `$10`
    /// delivered at or -1, `$11` scheduled-attempt increment, `$12` counts shard, `$13` endpoint ids.
    public static let record = """
        WITH released AS (DELETE FROM delivery_leases WHERE seq = ANY($1::BIGINT[])),
        attempted AS (
            INSERT INTO attempts (delivery_seq, attempted_at, response_status, response_time_ms, error, response_body,
                trigger)
            SELECT s, a, NULLIF(st, -1)::INT, l::INT, NULLIF(er, ''), b, tr
            FROM UNNEST($1::BIGINT[], $2::BIGINT[], $3::BIGINT[], $4::BIGINT[], $5::TEXT[], $6::BYTEA[], $7::TEXT[])
                AS t(s, a, st, l, er, b, tr)
            WHERE EXISTS (SELECT 1 FROM deliveries d WHERE d.seq = t.s AND d.seq = ANY($1::BIGINT[]))),
        changed AS (
            UPDATE deliveries d SET attempts = d.attempts + 1, scheduled_attempts = d.scheduled_attempts + t.inc::INT,
                status = t.state, next_attempt_at = NULLIF(t.next, -1), next_trigger = NULL,
                response_status = NULLIF(t.st, -1)::INT, response_time_ms = t.l::INT,
                last_attempt_at = t.a, delivered_at = COALESCE(NULLIF(t.dv, -1), d.delivered_at), note = NULLIF(t.er, '')
            FROM UNNEST($1::BIGINT[], $8::TEXT[], $9::BIGINT[], $3::BIGINT[], $4::BIGINT[], $2::BIGINT[], $10::BIGINT[],
                $5::TEXT[], $11::BIGINT[]) AS t(s, state, next, st, l, a, dv, er, inc)
            WHERE d.seq = t.s AND d.status = 'pending' AND d.seq = ANY($1::BIGINT[])
            RETURNING d.endpoint_id, d.seq, d.created_at, d.status, d.response_time_ms, d.delivered_at, d.last_attempt_at),
        counted AS (
            INSERT INTO delivery_counts AS c (\(DeliveryCountStatements.columns))
            SELECT endpoint_id, wirehook_delivery_day(seq, created_at), \(DeliveryCountStatements.shard("$12")), 0,
                -COUNT(*) FILTER (WHERE status <> 'pending'), COUNT(*) FILTER (WHERE status = 'success'),
                COUNT(*) FILTER (WHERE status = 'failed'),
                COALESCE(SUM(response_time_ms) FILTER (WHERE status = 'success'), 0),
                COUNT(response_time_ms) FILTER (WHERE status = 'success'),
                MAX(delivered_at) FILTER (WHERE status = 'success'), MAX(last_attempt_at) FILTER (WHERE status = 'failed'),
                MAX(last_attempt_at)
            FROM changed GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            \(DeliveryCountStatements.add))
        SELECT * FROM endpoints WHERE id = ANY($13::TEXT[]) ORDER BY id
        """

    /// One page of an endpoint's log, newest first. `$1` endpoint, `$2` status or NULL, `$3` cursor, `$4` limit.
    public static let endpointDeliveries = """
        SELECT d.*, ev.data FROM deliveries d JOIN events ev ON ev.seq = d.event_seq
        WHERE d.endpoint_id = $1 AND ($2::TEXT IS NULL OR d.status = $2) AND d.seq < $3
            AND ($5::TEXT IS NULL OR d.event_type = $5)
        ORDER BY d.seq DESC LIMIT $4
        """

    /// `$1` endpoint, `$2` status or NULL, `$3` event type or NULL.
    public static let endpointDeliveryCount = """
        SELECT COUNT(*)::BIGINT FROM deliveries WHERE endpoint_id = $1 AND ($2::TEXT IS NULL OR status = $2)
            AND ($3::TEXT IS NULL OR event_type = $3)
        """

    /// Attempts of one endpoint per time bucket: `$1` endpoint, `$2` start (ms), `$3` bucket
    /// width (ms). A bucket is `(attempted_at - start) / width`; success is a 2xx without error.
    /// Only deliveries whose latest attempt is in the window are joined to their attempts, so
    /// an endpoint's older history costs no attempt lookups.
    public static let attemptBuckets = """
        SELECT ((a.attempted_at - $2) / $3)::BIGINT AS bucket,
            COUNT(*) FILTER (WHERE a.error IS NULL AND a.response_status BETWEEN 200 AND 299)::BIGINT,
            COUNT(*) FILTER (WHERE NOT (a.error IS NULL AND a.response_status BETWEEN 200 AND 299))::BIGINT
        FROM attempts a JOIN deliveries d ON d.seq = a.delivery_seq
        WHERE d.endpoint_id = $1 AND d.last_attempt_at >= $2 AND a.attempted_at >= $2
        GROUP BY bucket
        """

    /// Idempotency: takes each key unless a live one holds it (an expired key is replaced);
    /// returns the ids taken. The unique key makes a concurrent insert of the same id wait for the
    /// first transaction and then lose to it. `$1` ids (sorted, so concurrent batches lock in one
    /// order), `$2` event sequences, `$3` received at, `$4` expiry, `$5` now.
    public static let claimKeys = """
        INSERT INTO event_keys (id, event_seq, received_at, expires_at)
        SELECT * FROM UNNEST($1::TEXT[], $2::BIGINT[], $3::BIGINT[], $4::BIGINT[])
        ON CONFLICT (id) DO UPDATE SET event_seq = EXCLUDED.event_seq, received_at = EXCLUDED.received_at,
            expires_at = EXCLUDED.expires_at
        WHERE event_keys.expires_at <= $5
        RETURNING id
        """

    /// What a duplicate answers: the stored event's deliveries that will be attempted. `$1` ids.
    public static let storedDeliveryCounts = """
        SELECT k.id, (SELECT COUNT(*) FROM deliveries d WHERE d.event_seq = k.event_seq AND d.status != 'skipped')::BIGINT
        FROM event_keys k WHERE k.id = ANY($1::TEXT[])
        """

    /// One delivery of one endpoint. `$1` delivery id, `$2` endpoint.
    public static let deliveryByID = """
        SELECT d.*, ev.data FROM deliveries d JOIN events ev ON ev.seq = d.event_seq
        WHERE d.id = $1 AND d.endpoint_id = $2
        """

    /// `$1` delivery sequence.
    public static let attemptsOfDelivery = """
        SELECT attempted_at, response_status, response_time_ms, error, response_body, trigger FROM attempts
        WHERE delivery_seq = $1 ORDER BY seq
        """

    /// Retention of what no dropped partition took (PostgresPartitions): rows of days that must be
    /// kept for a pending delivery, and `_legacy`. A batch at a time, attempts with their delivery.
    /// Old deliveries are found through their events (a delivery is made when its event arrives):
    /// `deliveries` has no index on its creation time.
    /// Every worker process runs it, so rows another purge holds are skipped, not waited for.
    /// `$1` cutoff, `$2` batch size, `$3` counts shard.
    public static let purgeDeliveries = """
        WITH gone AS (
            DELETE FROM deliveries WHERE seq IN (
                SELECT d.seq FROM events e JOIN deliveries d ON d.event_seq = e.seq
                WHERE e.received_at < $1 AND d.created_at < $1 AND d.status != 'pending'
                LIMIT $2 FOR UPDATE OF d SKIP LOCKED)
            RETURNING seq, endpoint_id, created_at, status, response_time_ms),
        attempts_gone AS (DELETE FROM attempts WHERE delivery_seq IN (SELECT seq FROM gone)),
        counted AS (
            INSERT INTO delivery_counts AS c (\(DeliveryCountStatements.columns))
            SELECT endpoint_id, wirehook_delivery_day(seq, created_at), \(DeliveryCountStatements.shard("$3")),
                -COUNT(*), 0, -COUNT(*) FILTER (WHERE status = 'success'), -COUNT(*) FILTER (WHERE status = 'failed'),
                -COALESCE(SUM(response_time_ms) FILTER (WHERE status = 'success'), 0),
                -COUNT(response_time_ms) FILTER (WHERE status = 'success'), NULL::BIGINT, NULL::BIGINT, NULL::BIGINT
            FROM gone GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            \(DeliveryCountStatements.add))
        SELECT seq FROM gone
        """

    /// Events and their payloads that no delivery needs any more. `$1` cutoff, `$2` batch size.
    public static let purgeEvents = """
        WITH gone AS (
            DELETE FROM events WHERE seq IN (
                SELECT e.seq FROM events e WHERE e.received_at < $1
                AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = e.seq) LIMIT $2 FOR UPDATE OF e SKIP LOCKED)
            RETURNING seq)
        DELETE FROM payloads WHERE event_seq IN (SELECT seq FROM gone)
        """

    /// Leases that ran out: their deliveries are due again whether the row is there or not, and
    /// a lease of a delivery since deleted would otherwise stay for good. `$1` now.
    public static let purgeLeases = "DELETE FROM delivery_leases WHERE until <= $1"

    /// Keys past their idempotency window. `$1` now, `$2` batch size.
    public static let purgeKeys = """
        DELETE FROM event_keys WHERE id IN (
            SELECT id FROM event_keys WHERE expires_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
        """

    /// Retry and recover: one statement however many deliveries match. The rows are read and
    /// locked first, since the counts need the status each one leaves. `$1` endpoint, `$2` delivery
    /// id or NULL, `$3` since or NULL, `$4` until or NULL, `$5` status or NULL, `$6` now, `$7` counts shard.
    public static let requeue = """
        WITH before AS (
            SELECT seq, endpoint_id, created_at, status, response_time_ms FROM deliveries
            WHERE endpoint_id = $1 AND payload_seq IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM delivery_leases l WHERE l.seq = deliveries.seq AND l.until > $6)
                AND ($2::TEXT IS NULL OR id = $2) AND ($3::BIGINT IS NULL OR created_at >= $3)
                AND ($4::BIGINT IS NULL OR created_at < $4) AND ($5::TEXT IS NULL OR status = $5)
            FOR UPDATE),
        requeued AS (
            UPDATE deliveries d SET status = 'pending', next_attempt_at = $6,
                next_trigger = 'manual', scheduled_attempts = 0
            FROM before b WHERE d.seq = b.seq
            RETURNING b.seq, b.endpoint_id, b.created_at, b.status, b.response_time_ms),
        counted AS (
            INSERT INTO delivery_counts AS c (\(DeliveryCountStatements.columns))
            SELECT endpoint_id, wirehook_delivery_day(seq, created_at), \(DeliveryCountStatements.shard("$7")), 0,
                COUNT(*) FILTER (WHERE status <> 'pending'), -COUNT(*) FILTER (WHERE status = 'success'),
                -COUNT(*) FILTER (WHERE status = 'failed'),
                -COALESCE(SUM(response_time_ms) FILTER (WHERE status = 'success'), 0),
                -COUNT(response_time_ms) FILTER (WHERE status = 'success'), NULL::BIGINT, NULL::BIGINT, NULL::BIGINT
            FROM requeued GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            \(DeliveryCountStatements.add))
        SELECT COUNT(*)::BIGINT FROM requeued
        """

    /// The live feed: attempts after `$1`, oldest first, at most `$2`, with their delivery.
    public static let attemptFeed = """
        SELECT a.seq, a.attempted_at, a.response_status, a.response_time_ms, a.error, a.trigger,
            d.id, d.endpoint_id, d.event_id, d.event_type, d.status,
            (SELECT COUNT(*) FROM attempts p WHERE p.delivery_seq = a.delivery_seq AND p.seq <= a.seq)::BIGINT
        FROM attempts a JOIN deliveries d ON d.seq = a.delivery_seq
        WHERE a.seq > $1 ORDER BY a.seq LIMIT $2
        """

    /// Every statement above, by name, for EXPLAIN.
    public static let hot: [(name: String, sql: String)] = [
        ("due deliveries of endpoints", dueOfEndpoints), ("claim", claimDue),
        ("lease and load", leaseAndLoad(sequences: [1, 2], events: [1, 2], payloads: [1, 2])), ("next due", nextDue),
        ("record", record), ("endpoint deliveries", endpointDeliveries),
        ("endpoint delivery count", endpointDeliveryCount), ("stored delivery counts", storedDeliveryCounts),
        ("delivery by id", deliveryByID), ("attempts of delivery", attemptsOfDelivery),
        ("purge deliveries", purgeDeliveries), ("purge events", purgeEvents), ("purge keys", purgeKeys),
        ("attempt feed", attemptFeed),
    ]

    static func query(_ sql: String, _ bind: (inout PostgresBindings) -> Void) -> PostgresQuery {
        var binds = PostgresBindings()
        bind(&binds)
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }
}
