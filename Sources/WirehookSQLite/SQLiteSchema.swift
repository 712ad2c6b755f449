import GRDB

/// Versioned migrations of the embedded database. Applied on every start; each runs once.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE endpoints (
                        id TEXT PRIMARY KEY,
                        url TEXT NOT NULL,
                        events TEXT NOT NULL,
                        description TEXT NOT NULL DEFAULT '',
                        active INTEGER NOT NULL,
                        format TEXT NOT NULL,
                        secret TEXT NOT NULL,
                        options TEXT NOT NULL DEFAULT '{}',
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE TABLE events (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL,
                        type TEXT NOT NULL,
                        occurred_at INTEGER NOT NULL,
                        received_at INTEGER NOT NULL,
                        source TEXT NOT NULL,
                        data BLOB NOT NULL,
                        attributes BLOB NOT NULL
                    );
                    CREATE INDEX events_by_id ON events(id, received_at);
                    CREATE INDEX events_by_received ON events(received_at);
                    CREATE TABLE payloads (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        event_seq INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
                        format TEXT NOT NULL,
                        body BLOB NOT NULL
                    );
                    CREATE INDEX payloads_by_event ON payloads(event_seq);
                    CREATE TABLE deliveries (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        endpoint_id TEXT NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
                        event_seq INTEGER NOT NULL REFERENCES events(seq),
                        payload_seq INTEGER REFERENCES payloads(seq),
                        event_id TEXT NOT NULL,
                        event_type TEXT NOT NULL,
                        status TEXT NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER,
                        lease_owner TEXT,
                        response_status INTEGER,
                        response_time_ms INTEGER,
                        delivered_at INTEGER,
                        last_attempt_at INTEGER,
                        created_at INTEGER NOT NULL,
                        note TEXT
                    );
                    CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE status = 'pending';
                    CREATE INDEX deliveries_by_endpoint ON deliveries(endpoint_id, seq);
                    CREATE INDEX deliveries_by_endpoint_status ON deliveries(endpoint_id, status, seq);
                    CREATE INDEX deliveries_by_event ON deliveries(event_seq);
                    CREATE INDEX deliveries_by_created ON deliveries(created_at);
                    CREATE INDEX deliveries_leased ON deliveries(lease_owner) WHERE lease_owner IS NOT NULL;
                    CREATE TABLE attempts (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        delivery_seq INTEGER NOT NULL REFERENCES deliveries(seq) ON DELETE CASCADE,
                        attempted_at INTEGER NOT NULL,
                        response_status INTEGER,
                        response_time_ms INTEGER NOT NULL,
                        error TEXT,
                        response_body BLOB
                    );
                    CREATE INDEX attempts_by_delivery ON attempts(delivery_seq);
                    """)
        }
        // Retention deletes payloads; the foreign-key check from deliveries needs this index or
        // it scans the whole table once per payload.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: "CREATE INDEX deliveries_by_payload ON deliveries(payload_seq)")
        }
        // Idempotency by a unique key, so the database, not a read before the write, decides
        // which of two submissions of one id is accepted.
        migrator.registerMigration("v3") { db in
            try db.execute(
                sql: """
                    CREATE TABLE event_keys (
                        id TEXT PRIMARY KEY,
                        event_seq INTEGER NOT NULL,
                        received_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX event_keys_by_expiry ON event_keys(expires_at);
                    INSERT INTO event_keys (id, event_seq, received_at, expires_at)
                        SELECT id, MAX(seq), MAX(received_at), MAX(received_at) + 86400000 FROM events GROUP BY id;
                    """)
        }
        // Endpoint health (breaker, auto-disable), secret rotation, manual attempts.
        migrator.registerMigration("v4") { db in
            try db.execute(
                sql: """
                    ALTER TABLE endpoints ADD COLUMN health_state TEXT NOT NULL DEFAULT 'healthy';
                    ALTER TABLE endpoints ADD COLUMN health_reason TEXT;
                    ALTER TABLE endpoints ADD COLUMN consecutive_failures INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE endpoints ADD COLUMN health_since INTEGER;
                    ALTER TABLE endpoints ADD COLUMN next_probe_at INTEGER;
                    ALTER TABLE endpoints ADD COLUMN failing_since INTEGER;
                    ALTER TABLE endpoints ADD COLUMN failed_probes INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE endpoints ADD COLUMN previous_secret TEXT;
                    ALTER TABLE endpoints ADD COLUMN previous_secret_until INTEGER;
                    ALTER TABLE deliveries ADD COLUMN scheduled_attempts INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE deliveries ADD COLUMN next_trigger TEXT;
                    UPDATE deliveries SET scheduled_attempts = attempts;
                    ALTER TABLE attempts ADD COLUMN trigger TEXT NOT NULL DEFAULT 'schedule';
                    """)
        }
        // Scoped API keys, kept as SHA-256 hashes; the hash is the lookup key.
        migrator.registerMigration("v5") { db in
            try db.execute(
                sql: """
                    CREATE TABLE api_keys (
                        id TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        scopes TEXT NOT NULL,
                        key_hash TEXT NOT NULL UNIQUE,
                        created_at INTEGER NOT NULL,
                        last_used_at INTEGER
                    );
                    """)
        }
        // Claims read each endpoint's due rows on their own (ClaimPlan), so one endpoint's backlog
        // is never walked to reach another's. The global due index had no other use left, and each
        // index costs every insert and every recorded attempt.
        migrator.registerMigration("pending-by-endpoint") { db in
            try db.execute(
                sql: """
                    CREATE INDEX deliveries_pending_by_endpoint ON deliveries(endpoint_id, next_attempt_at)
                    WHERE status = 'pending';
                    DROP INDEX deliveries_due;
                    """)
        }
        // Dashboard sessions, by the SHA-256 of the cookie (issue 11).
        migrator.registerMigration("dashboard-sessions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE dashboard_sessions (
                        id_hash TEXT PRIMARY KEY,
                        credential TEXT NOT NULL,
                        csrf_token TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        last_seen INTEGER NOT NULL,
                        flash TEXT,
                        flash_is_error INTEGER NOT NULL DEFAULT 0
                    ) WITHOUT ROWID;
                    CREATE INDEX dashboard_sessions_by_last_seen ON dashboard_sessions(last_seen);
                    """)
        }
        // The traceparent of the request that brought an event in (NULL when tracing is off).
        migrator.registerMigration("trace-parent") { db in
            try db.execute(sql: "ALTER TABLE events ADD COLUMN trace_parent TEXT")
        }
        // Delivery figures per endpoint and day of creation (DeliveryCounts), kept as rows change,
        // so `GET /webhooks` does not count every delivery an endpoint ever had.
        migrator.registerMigration("delivery-counts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE delivery_counts (
                        endpoint_id TEXT NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
                        day INTEGER NOT NULL,
                        total INTEGER NOT NULL,
                        pending INTEGER NOT NULL,
                        succeeded INTEGER NOT NULL,
                        failed INTEGER NOT NULL,
                        success_ms_sum INTEGER NOT NULL,
                        success_ms_count INTEGER NOT NULL,
                        last_succeeded_at INTEGER,
                        last_failed_at INTEGER,
                        last_attempt_at INTEGER,
                        PRIMARY KEY (endpoint_id, day)
                    ) WITHOUT ROWID;
                    """)
            try db.execute(sql: DeliveryCounts.rebuild)
        }
        // Two index entries fewer for most deliveries (BENCHMARKS.md, change 20). Retention finds
        // old deliveries through their events (`events_by_received`, `deliveries_by_event`), not
        // by a creation-time index of their own. The log's status filter keeps an index only for
        // the rows that are not successes: most deliveries succeed, so their entry would be
        // written on success only to serve a filter that `deliveries_by_endpoint` answers anyway
        // (successes are most of an endpoint's rows, so a newest-first walk finds them at once).
        migrator.registerMigration("fewer-delivery-indexes") { db in
            try db.execute(
                sql: """
                    DROP INDEX deliveries_by_created;
                    DROP INDEX deliveries_by_endpoint_status;
                    CREATE INDEX deliveries_unsuccessful_by_endpoint ON deliveries(endpoint_id, status, seq)
                    WHERE status != 'success';
                    """)
        }
        return migrator
    }
}
