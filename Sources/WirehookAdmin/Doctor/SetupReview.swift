import Foundation
import Logging
import PostgresNIO
import WirehookCore
import WirehookPostgres
import WirehookSQLite
import WirehookServer

/// Doctor's checks of this machine's settings and of the database they point at.
///
/// It reads the same `WIREHOOK_*` settings as `wirehook serve`, opens SQLite read-only and never
/// migrates, so it is safe to run beside a live server.
public struct SetupReview: Sendable {
    /// Pending deliveries older than this are worth a warning: the worker may be stuck or absent.
    public static let stalePending: Duration = .seconds(3600)

    public let configuration: ServerConfiguration
    let environment: [String: String]
    let now: Date

    public init(configuration: ServerConfiguration, environment: [String: String], now: Date = Date()) {
        self.configuration = configuration
        self.environment = environment
        self.now = now
    }

    /// The settings checks, which need no database.
    public func configurationChecks() -> [DoctorCheck] {
        let section = "configuration"
        var checks: [DoctorCheck] = [DoctorCheck(section, "settings", .ok, "WIREHOOK_* settings parse")]
        let directory = configuration.dataDirectory
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue {
            let writable = FileManager.default.isWritableFile(atPath: directory)
            checks.append(
                DoctorCheck(
                    section, "data directory", writable ? .ok : .warn,
                    writable ? "\(directory)" : "\(directory) is not writable by this user",
                    fix: "run doctor as the user the server runs as, or fix the directory's owner"))
        } else {
            checks.append(
                DoctorCheck(
                    section, "data directory", configuration.databaseURL == nil ? .fail : .warn,
                    "\(directory) does not exist", fix: "point --data-dir (WIREHOOK_DATA_DIR) at the server's, or start `wirehook serve` once"))
        }
        if configuration.adminToken != nil {
            checks.append(DoctorCheck(section, "admin token", .ok, "set by WIREHOOK_ADMIN_TOKEN"))
        } else {
            let file = AdminToken.path(dataDirectory: directory)
            if let attributes = try? FileManager.default.attributesOfItem(atPath: file) {
                let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
                checks.append(
                    mode & 0o077 == 0
                        ? DoctorCheck(section, "admin token", .ok, "\(file) (mode \(String(mode, radix: 8)))")
                        : DoctorCheck(
                            section, "admin token", .fail, "\(file) is readable by other users (mode \(String(mode, radix: 8)))",
                            fix: "chmod 600 \(file)"))
            } else {
                checks.append(
                    DoctorCheck(
                        section, "admin token", .warn, "no token file yet; the server generates one on first start",
                        fix: "or set WIREHOOK_ADMIN_TOKEN"))
            }
        }
        checks.append(
            configuration.secrets.isEnabled
                ? DoctorCheck(section, "encryption", .ok, "endpoint URLs and secrets are sealed (WIREHOOK_ENCRYPTION_KEY)")
                : DoctorCheck(
                    section, "encryption", .warn, "endpoint secrets are stored unencrypted in the database",
                    fix: "set WIREHOOK_ENCRYPTION_KEY=$(openssl rand -base64 32); existing secrets are sealed on the next start"))
        if configuration.role != .all, configuration.databaseURL == nil {
            checks.append(
                DoctorCheck(
                    section, "role", .fail, "--role \(configuration.role.rawValue) needs PostgreSQL",
                    fix: "set WIREHOOK_DATABASE_URL, or use role all"))
        }
        if configuration.targets.allowPrivate {
            checks.append(
                DoctorCheck(
                    section, "SSRF guard", .warn, "WIREHOOK_ALLOW_PRIVATE_TARGETS=true: deliveries may reach private addresses",
                    fix: "list only the private targets you need in WIREHOOK_ALLOWED_TARGETS"))
        }
        do {
            _ = try CompatConfiguration.load(
                environment: configuration.environment, yamlPath: configuration.configPath, now: now)
            if let path = configuration.configPath { checks.append(DoctorCheck(section, "compat file", .ok, path)) }
        } catch {
            checks.append(DoctorCheck(section, "panel settings", .fail, "\(error)", fix: "correct the setting it names"))
        }
        return checks
    }

    /// Opens the database, checks it, and hands its endpoints to `endpoints` while it is open.
    public func databaseChecks(
        logger: Logger, endpoints: ([Endpoint]) async -> [DoctorCheck]
    ) async -> [DoctorCheck] {
        if let url = configuration.databaseURL {
            let pgConfiguration: PostgresClient.Configuration
            do {
                pgConfiguration = try PostgresStore.configuration(url: url)
            } catch {
                return [DoctorCheck("database", "URL", .fail, "\(error)", fix: "correct WIREHOOK_DATABASE_URL")]
            }
            let client = PostgresClient(configuration: pgConfiguration, backgroundLogger: logger)
            let store = PostgresStore(client: client, logger: logger, secrets: configuration.secrets)
            return await withTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                return await review(store: store, kind: "postgresql", location: Self.redacted(url), endpoints: endpoints)
            }
        }
        let path = (configuration.dataDirectory as NSString).appendingPathComponent("wirehook.sqlite")
        guard FileManager.default.fileExists(atPath: path) else {
            return [
                DoctorCheck(
                    "database", "reachable", .fail, "no database at \(path)",
                    fix: "point --data-dir at the server's data directory, or start `wirehook serve` once"),
            ]
        }
        do {
            let store = try SQLiteStore.inspecting(path: path, secrets: configuration.secrets)
            return await review(store: store, kind: "sqlite", location: path, endpoints: endpoints)
        } catch {
            return [DoctorCheck("database", "reachable", .fail, "\(path) could not be opened: \(error)", fix: "check its owner and mode")]
        }
    }

    func review(
        store: some WebhookStore, kind: String, location: String, endpoints: ([Endpoint]) async -> [DoctorCheck]
    ) async -> [DoctorCheck] {
        let section = "database"
        var checks: [DoctorCheck] = []
        do {
            try await withTimeout(.seconds(5)) { try await store.ping() }
            checks.append(DoctorCheck(section, "reachable", .ok, "\(kind) at \(location)"))
        } catch {
            checks.append(
                DoctorCheck(section, "reachable", .fail, "\(kind) at \(location) did not answer: \(error)", fix: "start the database or correct its URL"))
            return checks
        }
        let status: DatabaseStatus
        do {
            status = try await withTimeout(.seconds(30)) { try await store.status() }
        } catch {
            checks.append(DoctorCheck(section, "schema", .fail, "could not read it: \(error)", fix: "start `wirehook serve` once to create it"))
            return checks
        }
        if !status.missingMigrations.isEmpty {
            checks.append(
                DoctorCheck(
                    section, "migrations", .fail, "missing \(status.missingMigrations.joined(separator: ", "))",
                    fix: "start `wirehook serve` with this version; it applies them on start"))
        } else if !status.unknownMigrations.isEmpty {
            checks.append(
                DoctorCheck(
                    section, "migrations", .warn,
                    "the database has \(status.unknownMigrations.joined(separator: ", ")), which this version does not know",
                    fix: "a newer Wirehook migrated it: run that version's binary"))
        } else {
            checks.append(DoctorCheck(section, "migrations", .ok, "current (\(status.appliedMigrations.count) applied)"))
        }
        if let size = status.sizeBytes {
            checks.append(DoctorCheck(section, "size", .ok, Self.bytes(size)))
        }
        if let oldest = status.oldestPendingAt {
            let age = Duration.seconds(max(0, now.timeIntervalSince(oldest)))
            let text = "\(status.pendingDeliveries) pending; the oldest since \(Timestamp.iso8601(oldest)) (\(DurationText.format(.seconds(age.components.seconds))) ago)"
            checks.append(
                age > Self.stalePending
                    ? DoctorCheck(
                        section, "pending deliveries", .warn, text,
                        fix: "check that a worker runs (role all or worker) and `wirehook webhooks list` for failing endpoints")
                    : DoctorCheck(section, "pending deliveries", .ok, text))
        } else {
            checks.append(DoctorCheck(section, "pending deliveries", .ok, "none"))
        }
        do {
            let list = try await store.endpoints()
            checks += await endpoints(list)
        } catch {
            checks.append(DoctorCheck(section, "endpoints", .fail, "could not be read: \(error)", fix: "check WIREHOOK_ENCRYPTION_KEY matches the server's"))
        }
        return checks
    }

    /// The URL without its password, for printing.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "the configured database" }
        if components.password != nil { components.password = "***" }
        return components.string ?? "the configured database"
    }

    static func bytes(_ count: Int64) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) bytes" : String(format: "%.1f", value) + " " + units[unit]
    }
}
