import Foundation
import Logging
import NIOCore
import PostgresNIO
import WirehookCore

/// The shared store: many Wirehook processes on one PostgreSQL database.
///
/// Workers lease due deliveries with `FOR UPDATE SKIP LOCKED`, so processes never take the same
/// row; a lease is a due time in the future, so a crashed process's deliveries come due again.
/// The rules live in WirehookCore (`IngestBatch`, `ClaimPlan`, `AttemptColumns`, `EndpointRow`,
/// `DeliveryRow`); the extensions beside this file hold only SQL.
public struct PostgresStore: Sendable {
    public static let notificationChannel = "wirehook_deliveries"

    let client: PostgresClient
    let logger: Logger
    /// Seals endpoint URLs and secrets on the way in, opens them on the way out.
    let secrets: SecretBox
    /// This process's `delivery_counts` shard for ingest; results add to `countShard + shardsPerKind`.
    let countShard: Int16

    public init(client: PostgresClient, logger: Logger, secrets: SecretBox = SecretBox()) {
        self.client = client
        self.logger = logger
        self.secrets = secrets
        self.countShard = Int16.random(in: 0..<DeliveryCountStatements.shardsPerKind)
    }

    var resultShard: Int16 { countShard + DeliveryCountStatements.shardsPerKind }

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

    /// What the server said about a failed statement, inside a transaction or not.
    static func serverInfo(of error: any Error) -> PSQLError.ServerInfo? {
        let inner = (error as? PostgresTransactionError)?.closureError ?? error
        return (inner as? PSQLError)?.serverInfo
    }
}

extension PostgresStore: StoreMaintenance {
    public func ping() async throws {
        try await client.query("SELECT 1", logger: logger)
    }

    /// Whole days go first, as dropped partitions; what is left past the cutoff (days a pending
    /// delivery holds, and rows from before partitioning) is deleted a batch at a time. Returns the
    /// rows deleted that way, so the caller goes again only while there are more.
    public func purge(olderThan cutoff: Date, keysExpiredBefore: Date, batchSize: Int) async throws -> Int {
        let cutoffMs = Timestamp.milliseconds(cutoff)
        let dropped = try await PostgresPartitions.dropExpired(client, cutoffMs: cutoffMs, logger: logger)
        if !dropped.isEmpty {
            logger.info("Retention dropped partitions", metadata: ["partitions": "\(dropped)"])
        }
        try await client.withTransaction(logger: logger) { connection in
            try await PostgresPartitions.ensure(connection, logger: logger)
        }
        let rows = try await client.query(
            PostgresQueries.query(PostgresQueries.purgeDeliveries) {
                $0.append(cutoffMs)
                $0.append(Int64(batchSize))
                $0.append(resultShard)
            }, logger: logger)
        var removed = 0
        for try await _ in rows { removed += 1 }
        try await client.query(
            PostgresQueries.query(PostgresQueries.purgeEvents) {
                $0.append(cutoffMs)
                $0.append(Int64(batchSize))
            }, logger: logger)
        try await client.query(
            PostgresQueries.query(PostgresQueries.purgeLeases) { $0.append(Timestamp.milliseconds(keysExpiredBefore)) },
            logger: logger)
        try await client.query(
            PostgresQueries.query(PostgresQueries.purgeKeys) {
                $0.append(Timestamp.milliseconds(keysExpiredBefore))
                $0.append(Int64(batchSize))
            }, logger: logger)
        return removed
    }
}
