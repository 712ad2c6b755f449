/// `delivery_counts`: delivery figures per endpoint, day and shard, kept by the statements that
/// change deliveries (each adds its change in the same statement), so `stats` sums a few rows
/// instead of counting an endpoint's history.
///
/// The day is the delivery's (`wirehook_delivery_day`: the day in its `seq`), so dropping a day's
/// partition drops that day's counts. Each process adds into its own shards, one for ingest and
/// one for results, so concurrent transactions do not queue on one row for each other's commit.
/// Rows of `_legacy` count in shard -1: their day comes from `created_at` and may be one a
/// partition has too.
enum DeliveryCountStatements {
    /// Shards a process picks from; results add at `shard + shardsPerKind`.
    static let shardsPerKind: Int16 = 8

    static let columns = """
        endpoint_id, day, shard, total, pending, succeeded, failed, success_ms_sum, success_ms_count,
            last_succeeded_at, last_failed_at, last_attempt_at
        """

    /// The shard a changed row counts in: `parameter`, or -1 for a row of `_legacy`.
    static func shard(_ parameter: String) -> String {
        "CASE WHEN seq < 4294967296 THEN -1 ELSE \(parameter)::SMALLINT END"
    }

    static let add = """
        ON CONFLICT (endpoint_id, day, shard) DO UPDATE SET total = c.total + EXCLUDED.total,
            pending = c.pending + EXCLUDED.pending, succeeded = c.succeeded + EXCLUDED.succeeded,
            failed = c.failed + EXCLUDED.failed, success_ms_sum = c.success_ms_sum + EXCLUDED.success_ms_sum,
            success_ms_count = c.success_ms_count + EXCLUDED.success_ms_count,
            last_succeeded_at = GREATEST(c.last_succeeded_at, EXCLUDED.last_succeeded_at),
            last_failed_at = GREATEST(c.last_failed_at, EXCLUDED.last_failed_at),
            last_attempt_at = GREATEST(c.last_attempt_at, EXCLUDED.last_attempt_at)
        """

    /// Counts of rows as they are, for the migration that starts the counters.
    static let rebuild = """
        INSERT INTO delivery_counts (\(columns))
        SELECT endpoint_id, wirehook_delivery_day(seq, created_at), \(shard("0")), COUNT(*),
            COUNT(*) FILTER (WHERE status = 'pending'), COUNT(*) FILTER (WHERE status = 'success'),
            COUNT(*) FILTER (WHERE status = 'failed'),
            COALESCE(SUM(response_time_ms) FILTER (WHERE status = 'success'), 0),
            COUNT(response_time_ms) FILTER (WHERE status = 'success'),
            MAX(delivered_at) FILTER (WHERE status = 'success'), MAX(last_attempt_at) FILTER (WHERE status = 'failed'),
            MAX(last_attempt_at)
        FROM deliveries GROUP BY 1, 2, 3
        """

    static let migration = [
        """
        CREATE FUNCTION wirehook_delivery_day(seq BIGINT, created_at BIGINT) RETURNS BIGINT
        LANGUAGE sql IMMUTABLE AS $$
            SELECT CASE WHEN seq >= 4294967296 THEN seq >> 32 ELSE floor(created_at / 86400000.0)::BIGINT END
        $$
        """,
        """
        CREATE TABLE delivery_counts (
            endpoint_id TEXT NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE, day BIGINT NOT NULL,
            shard SMALLINT NOT NULL, total BIGINT NOT NULL, pending BIGINT NOT NULL, succeeded BIGINT NOT NULL,
            failed BIGINT NOT NULL, success_ms_sum BIGINT NOT NULL, success_ms_count BIGINT NOT NULL,
            last_succeeded_at BIGINT, last_failed_at BIGINT, last_attempt_at BIGINT,
            PRIMARY KEY (endpoint_id, day, shard))
        """,
        rebuild,
    ]

    /// Sums of one endpoint's rows: `$1` endpoint, `$2` first day of `last_30_days`.
    static let stats = """
        SELECT COALESCE(SUM(total), 0)::BIGINT, COALESCE(SUM(succeeded), 0)::BIGINT, COALESCE(SUM(failed), 0)::BIGINT,
            COALESCE(SUM(pending), 0)::BIGINT, MAX(last_succeeded_at), MAX(last_failed_at), MAX(last_attempt_at),
            COALESCE(SUM(success_ms_sum), 0)::BIGINT, COALESCE(SUM(success_ms_count), 0)::BIGINT,
            COALESCE(SUM(total) FILTER (WHERE day >= $2), 0)::BIGINT
        FROM delivery_counts WHERE endpoint_id = $1
        """

    /// The same figures from the deliveries themselves.
    static let recount = """
        SELECT COUNT(*)::BIGINT, COUNT(*) FILTER (WHERE status = 'success')::BIGINT,
            COUNT(*) FILTER (WHERE status = 'failed')::BIGINT, COUNT(*) FILTER (WHERE status = 'pending')::BIGINT,
            MAX(delivered_at) FILTER (WHERE status = 'success'), MAX(last_attempt_at) FILTER (WHERE status = 'failed'),
            MAX(last_attempt_at), COALESCE(SUM(response_time_ms) FILTER (WHERE status = 'success'), 0)::BIGINT,
            COUNT(response_time_ms) FILTER (WHERE status = 'success')::BIGINT,
            COUNT(*) FILTER (WHERE wirehook_delivery_day(seq, created_at) >= $2)::BIGINT
        FROM deliveries WHERE endpoint_id = $1
        """
}
