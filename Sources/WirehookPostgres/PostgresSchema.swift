import Logging
import PostgresNIO

/// Versioned migrations of the shared database. Every process runs them on start; an advisory
/// lock makes concurrent starts take turns, and applied versions are recorded.
enum PostgresSchema {
    static let lockKey: Int64 = 0x5749_5245_484F  // "WIREHO"

    static let migrations: [(version: Int, statements: [String])] = [
        (
            1,
            [
                """
                CREATE TABLE endpoints (
                    id TEXT PRIMARY KEY, url TEXT NOT NULL, events TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
                    active BOOLEAN NOT NULL, format TEXT NOT NULL, secret TEXT NOT NULL, options TEXT NOT NULL DEFAULT '{}',
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE events (
                    seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL, occurred_at BIGINT NOT NULL,
                    received_at BIGINT NOT NULL, source TEXT NOT NULL, data BYTEA NOT NULL, attributes BYTEA NOT NULL)
                """,
                "CREATE INDEX events_by_id ON events(id, received_at)",
                "CREATE INDEX events_by_received ON events(received_at)",
                """
                CREATE TABLE payloads (
                    seq BIGSERIAL PRIMARY KEY, event_seq BIGINT NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
                    format TEXT NOT NULL, body BYTEA NOT NULL)
                """,
                "CREATE INDEX payloads_by_event ON payloads(event_seq)",
                """
                CREATE TABLE deliveries (
                    seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE,
                    endpoint_id TEXT NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
                    event_seq BIGINT NOT NULL REFERENCES events(seq), payload_seq BIGINT REFERENCES payloads(seq),
                    event_id TEXT NOT NULL, event_type TEXT NOT NULL, status TEXT NOT NULL,
                    attempts INT NOT NULL DEFAULT 0, next_attempt_at BIGINT, lease_owner TEXT, response_status INT,
                    response_time_ms INT, delivered_at BIGINT, last_attempt_at BIGINT, created_at BIGINT NOT NULL, note TEXT)
                """,
                "CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE status = 'pending'",
                "CREATE INDEX deliveries_by_endpoint ON deliveries(endpoint_id, seq)",
                "CREATE INDEX deliveries_by_endpoint_status ON deliveries(endpoint_id, status, seq)",
                "CREATE INDEX deliveries_by_event ON deliveries(event_seq)",
                "CREATE INDEX deliveries_by_payload ON deliveries(payload_seq)",
                "CREATE INDEX deliveries_by_created ON deliveries(created_at)",
                "CREATE INDEX deliveries_leased ON deliveries(lease_owner) WHERE lease_owner IS NOT NULL",
                """
                CREATE TABLE attempts (
                    seq BIGSERIAL PRIMARY KEY,
                    delivery_seq BIGINT NOT NULL REFERENCES deliveries(seq) ON DELETE CASCADE,
                    attempted_at BIGINT NOT NULL, response_status INT, response_time_ms INT NOT NULL, error TEXT,
                    response_body BYTEA)
                """,
                "CREATE INDEX attempts_by_delivery ON attempts(delivery_seq)",
            ]
        ),
        (
            // Idempotency by a unique key, so the database, not a read before the write, decides
            // which of two concurrent submissions of one id is accepted.
            2,
            [
                """
                CREATE TABLE event_keys (
                    id TEXT PRIMARY KEY, event_seq BIGINT NOT NULL, received_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL)
                """,
                "CREATE INDEX event_keys_by_expiry ON event_keys(expires_at)",
                """
                INSERT INTO event_keys (id, event_seq, received_at, expires_at)
                SELECT id, MAX(seq), MAX(received_at), MAX(received_at) + 86400000 FROM events GROUP BY id
                """,
            ]
        ),
        (
            // Endpoint health (breaker, auto-disable), secret rotation, manual attempts.
            3,
            [
                """
                ALTER TABLE endpoints ADD COLUMN health_state TEXT NOT NULL DEFAULT 'healthy',
                    ADD COLUMN health_reason TEXT, ADD COLUMN consecutive_failures INT NOT NULL DEFAULT 0,
                    ADD COLUMN health_since BIGINT, ADD COLUMN next_probe_at BIGINT, ADD COLUMN failing_since BIGINT,
                    ADD COLUMN failed_probes INT NOT NULL DEFAULT 0, ADD COLUMN previous_secret TEXT,
                    ADD COLUMN previous_secret_until BIGINT
                """,
                """
                ALTER TABLE deliveries ADD COLUMN scheduled_attempts INT NOT NULL DEFAULT 0,
                    ADD COLUMN next_trigger TEXT
                """,
                "UPDATE deliveries SET scheduled_attempts = attempts WHERE attempts > 0",
                "ALTER TABLE attempts ADD COLUMN trigger TEXT NOT NULL DEFAULT 'schedule'",
            ]
        ),
        (
            // Scoped API keys, kept as SHA-256 hashes; the hash is the lookup key.
            4,
            [
                """
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL, scopes TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE,
                    created_at BIGINT NOT NULL, last_used_at BIGINT)
                """
            ]
        ),
        (
            // Dashboard sessions, by the SHA-256 of the cookie (issue 11). Numbered apart from the
            // next few so branches that add migrations meanwhile do not collide.
            11,
            [
                """
                CREATE TABLE dashboard_sessions (
                    id_hash TEXT PRIMARY KEY, credential TEXT NOT NULL, csrf_token TEXT NOT NULL,
                    created_at BIGINT NOT NULL, last_seen BIGINT NOT NULL, flash TEXT,
                    flash_is_error BOOLEAN NOT NULL DEFAULT FALSE)
                """,
                "CREATE INDEX dashboard_sessions_by_last_seen ON dashboard_sessions(last_seen)",
            ]
        ),
        (
            // The traceparent of the request that brought an event in (NULL when tracing is off).
            12,
            ["ALTER TABLE events ADD COLUMN trace_parent TEXT"]
        ),
        (
            // Claims read each endpoint's due rows on their own (ClaimPlan, PostgresQueries.dueOfEndpoints).
            // Numbered 13 so a branch adding 12 meanwhile does not collide.
            13,
            [
                """
                CREATE INDEX deliveries_pending_by_endpoint ON deliveries(endpoint_id, next_attempt_at)
                WHERE status = 'pending'
                """,
                // Its only other use was `nextDue`, which now probes the index above per endpoint.
                "DROP INDEX deliveries_due",
            ]
        ),
        (
            // Daily partitions (PostgresPartitions): retention drops days instead of deleting rows.
            // The rows there are copied into `<table>_legacy`; the keys between these tables give
            // way to dropping aligned days (a delivery and its attempts share one), and
            // `deliveries.id` is indexed rather than unique, since a unique key on a partitioned
            // table must include `seq` (ids are ULIDs, unique by construction).
            14,
            [
                """
                CREATE FUNCTION wirehook_next_seq(sequence regclass) RETURNS BIGINT LANGUAGE sql VOLATILE AS $$
                    SELECT (floor(extract(epoch FROM clock_timestamp()) / 86400)::BIGINT << 32)
                        | (nextval(sequence) & 4294967295)
                $$
                """
            ]
                + partitionStatements(table: "events", key: "seq", sequence: "events_seq_seq", dayNumbered: true)
                + partitionStatements(table: "payloads", key: "seq", sequence: "payloads_seq_seq", dayNumbered: true)
                + partitionStatements(table: "deliveries", key: "seq", sequence: "deliveries_seq_seq", dayNumbered: true)
                + partitionStatements(table: "attempts", key: "delivery_seq", sequence: "attempts_seq_seq", dayNumbered: false)
                + [
                    // Also drops the foreign keys between the old tables.
                    "DROP TABLE attempts_unpartitioned, deliveries_unpartitioned, payloads_unpartitioned, events_unpartitioned",
                    "ALTER TABLE events ADD PRIMARY KEY (seq)",
                    "CREATE INDEX events_by_id ON events(id, received_at)",
                    "CREATE INDEX events_by_received ON events(received_at)",
                    "ALTER TABLE payloads ADD PRIMARY KEY (seq)",
                    "CREATE INDEX payloads_by_event ON payloads(event_seq)",
                    "ALTER TABLE deliveries ADD PRIMARY KEY (seq)",
                    "ALTER TABLE deliveries ADD FOREIGN KEY (endpoint_id) REFERENCES endpoints(id) ON DELETE CASCADE",
                    "CREATE INDEX deliveries_by_id ON deliveries(id)",
                    """
                    CREATE INDEX deliveries_pending_by_endpoint ON deliveries(endpoint_id, next_attempt_at)
                    WHERE status = 'pending'
                    """,
                    "CREATE INDEX deliveries_by_endpoint ON deliveries(endpoint_id, seq)",
                    "CREATE INDEX deliveries_by_endpoint_status ON deliveries(endpoint_id, status, seq)",
                    "CREATE INDEX deliveries_by_event ON deliveries(event_seq)",
                    "CREATE INDEX deliveries_by_payload ON deliveries(payload_seq)",
                    "CREATE INDEX deliveries_by_created ON deliveries(created_at)",
                    "CREATE INDEX deliveries_leased ON deliveries(lease_owner) WHERE lease_owner IS NOT NULL",
                    // The live feed reads attempts in `seq` order; the key leads with it.
                    "ALTER TABLE attempts ADD PRIMARY KEY (seq, delivery_seq)",
                    "CREATE INDEX attempts_by_delivery ON attempts(delivery_seq)",
                ]
        ),
        (
            // Delivery figures kept per endpoint and day (DeliveryCountStatements), so `GET /webhooks`
            // does not count every delivery an endpoint ever had.
            15,
            DeliveryCountStatements.migration
        ),
        (
            // Leases in a table of their own. A lease written into the delivery row changed an
            // indexed column, so every claim wrote the row again into each of its nine indexes;
            // now it is one small row, taken out when the result is recorded. Unlogged: a lease
            // lost in a crash only makes its delivery due again, which is what a crash does anyway.
            16,
            [
                "CREATE UNLOGGED TABLE delivery_leases (seq BIGINT PRIMARY KEY, owner TEXT NOT NULL, until BIGINT NOT NULL)",
                """
                INSERT INTO delivery_leases (seq, owner, until)
                SELECT seq, lease_owner, next_attempt_at FROM deliveries
                WHERE lease_owner IS NOT NULL AND status = 'pending' AND next_attempt_at IS NOT NULL
                """,
                "DROP INDEX deliveries_leased",
                "ALTER TABLE deliveries DROP COLUMN lease_owner",
            ]
        ),
        (
            // Two index entries fewer for most deliveries, as SQLite's "fewer-delivery-indexes":
            // retention of days a drop cannot take finds old deliveries through their events, and
            // the status index keeps only what is not a success (a success's entry served only a
            // filter that `deliveries_by_endpoint` answers for successes anyway).
            17,
            [
                "DROP INDEX deliveries_by_created",
                "DROP INDEX deliveries_by_endpoint_status",
                """
                CREATE INDEX deliveries_unsuccessful_by_endpoint ON deliveries(endpoint_id, status, seq)
                WHERE status != 'success'
                """,
            ]
        ),
        (
            // A claim in one round trip (PostgresQueries.claimDue); a later change to that
            // statement replaces the function in a migration of its own.
            18,
            [PostgresQueries.claimDueFunction]
        ),
    ]

    /// Moves `table` aside, makes it again partitioned on `key` with the same columns, and copies
    /// its rows into the `_legacy` partition (keys below 2^32, where every sequence value so far is).
    static func partitionStatements(table: String, key: String, sequence: String, dayNumbered: Bool) -> [String] {
        var statements = [
            "ALTER TABLE \(table) RENAME TO \(table)_unpartitioned",
            "CREATE TABLE \(table) (LIKE \(table)_unpartitioned INCLUDING DEFAULTS) PARTITION BY RANGE (\(key))",
            "ALTER SEQUENCE \(sequence) OWNED BY \(table).seq",
            "CREATE TABLE \(table)_legacy PARTITION OF \(table) FOR VALUES FROM (MINVALUE) TO (4294967296)",
            "INSERT INTO \(table) SELECT * FROM \(table)_unpartitioned",
        ]
        if dayNumbered {
            statements.append("ALTER TABLE \(table) ALTER COLUMN seq SET DEFAULT wirehook_next_seq('\(sequence)')")
        }
        return statements
    }

    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS wirehook_migrations (version INT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                logger: logger)
            var applied = Set<Int>()
            for try await version in try await connection.query("SELECT version FROM wirehook_migrations", logger: logger)
                .decode(Int.self)
            {
                applied.insert(version)
            }
            for migration in migrations where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO wirehook_migrations (version) VALUES (\(migration.version))", logger: logger)
                logger.info("Applied database migration", metadata: ["db.migration": "\(migration.version)"])
            }
            try await PostgresPartitions.ensure(connection, logger: logger)
        }
    }
}
