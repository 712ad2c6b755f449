import Foundation
import PostgresNIO
import WirehookCore

extension PostgresStore: EndpointStore {
    public func insertEndpoint(_ endpoint: Endpoint) async throws {
        let r = EndpointRow(endpoint).sealed(with: secrets)
        try await client.query(
            """
            INSERT INTO endpoints (id, url, events, description, active, format, secret, options, created_at, updated_at)
            VALUES (\(r.id), \(r.url), \(r.eventsText), \(r.description), \(r.active), \(r.format), \(r.secret),
                \(r.optionsText), \(r.createdAtMs), \(r.updatedAtMs))
            """, logger: logger)
    }

    public func updateEndpoint(_ endpoint: Endpoint) async throws {
        let r = EndpointRow(endpoint).sealed(with: secrets)
        try await client.query(
            """
            UPDATE endpoints SET url = \(r.url), events = \(r.eventsText), description = \(r.description),
                active = \(r.active), format = \(r.format), secret = \(r.secret), options = \(r.optionsText),
                created_at = \(r.createdAtMs), updated_at = \(r.updatedAtMs), previous_secret = \(r.previousSecret),
                previous_secret_until = \(r.previousSecretUntilMs)
            WHERE id = \(r.id)
            """, logger: logger)
    }

    public func deleteEndpoint(id: String) async throws -> Bool {
        // It locks attempts, deliveries and the endpoint, as a worker recording results and a
        // retention drop do; if PostgreSQL ends a deadlock by cancelling this side, it goes again.
        var attempt = 1
        while true {
            do {
                return try await deleteEndpointOnce(id: id)
            } catch let error where attempt < 3 && PostgresPartitions.isDeadlock(error) {
                attempt += 1
                logger.debug("Deleting an endpoint met a deadlock; trying again")
            }
        }
    }

    func deleteEndpointOnce(id: String) async throws -> Bool {
        // Deliveries go by their foreign key; their attempts have none (they are partitioned by day
        // alongside, see PostgresPartitions), so they go in the same statement.
        let rows = try await client.query(
            """
            WITH attempts_gone AS (
                DELETE FROM attempts WHERE delivery_seq IN (SELECT seq FROM deliveries WHERE endpoint_id = \(id)))
            DELETE FROM endpoints WHERE id = \(id) RETURNING id
            """, logger: logger)
        var deleted = false
        for try await _ in rows { deleted = true }
        return deleted
    }

    public func endpoint(id: String) async throws -> Endpoint? {
        let rows = try await client.query("SELECT * FROM endpoints WHERE id = \(id)", logger: logger)
        // The first row is taken out of the loop before decoding: a throwing call returned from
        // inside `for try await` crashes the Swift 6.3 optimizer (coroutine splitting) in release builds.
        var first: PostgresRow?
        for try await row in rows {
            first = row
            break
        }
        guard let row = first else { return nil }
        return try Self.endpoint(from: row.makeRandomAccess(), secrets: secrets)
    }

    public func endpoints() async throws -> [Endpoint] {
        try await Self.allEndpoints(
            client.query("SELECT * FROM endpoints ORDER BY created_at, id", logger: logger), secrets: secrets)
    }

    public func endpointSecrets(after id: String?, limit: Int) async throws -> [EndpointSecrets] {
        let after = id ?? ""
        let rows = try await client.query(
            "SELECT id, url, secret, previous_secret FROM endpoints WHERE id > \(after) ORDER BY id LIMIT \(Int64(limit))",
            logger: logger)
        var list: [EndpointSecrets] = []
        for try await (id, url, secret, previous) in rows.decode((String, String, String, String?).self) {
            list.append(EndpointSecrets(id: id, url: url, secret: secret, previousSecret: previous))
        }
        return list
    }

    public func writeEndpointSecrets(_ new: EndpointSecrets, replacing old: EndpointSecrets) async throws {
        try await client.query(
            """
            UPDATE endpoints SET url = \(new.url), secret = \(new.secret), previous_secret = \(new.previousSecret)
            WHERE id = \(old.id) AND url = \(old.url) AND secret = \(old.secret)
                AND previous_secret IS NOT DISTINCT FROM \(old.previousSecret)
            """, logger: logger)
    }

    static func allEndpoints(_ rows: PostgresRowSequence, secrets: SecretBox) async throws -> [Endpoint] {
        var list: [Endpoint] = []
        for try await row in rows { list.append(try endpoint(from: row.makeRandomAccess(), secrets: secrets)) }
        return list
    }

    static func endpoint(from row: PostgresRandomAccessRow, secrets: SecretBox) throws -> Endpoint {
        try endpointRow(from: row).opened(with: secrets).endpoint
    }

    static func endpointRow(from row: PostgresRandomAccessRow) throws -> EndpointRow {
        EndpointRow(
            id: try row["id"].decode(String.self), url: try row["url"].decode(String.self),
            eventsText: try row["events"].decode(String.self), description: try row["description"].decode(String.self),
            active: try row["active"].decode(Bool.self), format: try row["format"].decode(String.self),
            secret: try row["secret"].decode(String.self), optionsText: try row["options"].decode(String.self),
            createdAtMs: try row["created_at"].decode(Int64.self), updatedAtMs: try row["updated_at"].decode(Int64.self),
            healthState: try row["health_state"].decode(String.self),
            healthReason: try row["health_reason"].decode(String?.self),
            consecutiveFailures: Int64(try row["consecutive_failures"].decode(Int32.self)),
            healthSinceMs: try row["health_since"].decode(Int64?.self),
            nextProbeAtMs: try row["next_probe_at"].decode(Int64?.self),
            failingSinceMs: try row["failing_since"].decode(Int64?.self),
            failedProbes: Int64(try row["failed_probes"].decode(Int32.self)),
            previousSecret: try row["previous_secret"].decode(String?.self),
            previousSecretUntilMs: try row["previous_secret_until"].decode(Int64?.self))
    }

    static func endpointRows(_ rows: PostgresRowSequence) async throws -> [EndpointRow] {
        var list: [EndpointRow] = []
        for try await row in rows { list.append(try endpointRow(from: row.makeRandomAccess())) }
        return list
    }
}
