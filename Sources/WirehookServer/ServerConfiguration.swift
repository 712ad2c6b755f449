import Foundation
import Logging
import WirehookCore
import WirehookDelivery

/// Everything `wirehook serve` can be told, from flags or `WIREHOOK_*` environment variables.
public struct ServerConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    public var dataDirectory: String = "./wirehook-data"
    /// Admin token; when nil one is generated on first start and kept in the data directory.
    public var adminToken: String?
    /// Where users reach this server (`WIREHOOK_PUBLIC_URL`), e.g. behind a proxy at
    /// `https://example.com/wirehook`: the dashboard's links carry its path, and its cookie is
    /// `Secure` when it is https.
    public var publicURL: PublicURL?
    /// Seals endpoint URLs and secrets in the database (`WIREHOOK_ENCRYPTION_KEY`); no key, no sealing.
    public var secrets = SecretBox()
    public var bodyLimit: Int = 1 << 20
    /// How long an ingest request waits for its commit before it is answered 503.
    public var ingestTimeout: Duration = .seconds(30)
    /// What the ingest queue may hold before it answers 503 `overloaded`.
    public var ingestLimits = IngestLimits()
    /// Request bodies read and parsed at once; others wait up to `ingestTimeout`, then get 503.
    public var parseConcurrency: Int = 16
    public var retryPolicy: RetryPolicy = .default
    /// Consecutive failed attempts that pause an endpoint (circuit breaker); 0 turns it off.
    public var breakerThreshold: Int = 10
    /// No success for this long, while attempts fail, disables an endpoint; nil turns it off.
    public var disableAfter: Duration? = .seconds(5 * 86_400)
    public var worker = WorkerConfiguration()
    public var retention: Duration = .seconds(30 * 86400)
    public var logLevel: Logger.Level = .info
    /// The panels' variables (`WEBHOOK_URL`, `WEBHOOK_ADDRESS`, …) and `WIREHOOK_SOURCE_*` secrets.
    public var environment: [String: String] = [:]
    /// A YAML file with wg-portal's `webhook:` block and `sources:` secrets (`--config`).
    public var configPath: String?
    /// `postgres://…` selects the shared PostgreSQL store; nil keeps the embedded SQLite one.
    public var databaseURL: String?
    public var databasePoolSize: Int = 10
    public var role: Role = .all
    /// The SSRF guard: which addresses deliveries may reach (`WIREHOOK_ALLOW_PRIVATE_TARGETS`,
    /// `WIREHOOK_ALLOWED_TARGETS`). On by default.
    public var targets = TargetPolicy()
    /// How old (or how far ahead) a signed panel body's own timestamp may be (`WIREHOOK_SOURCE_TOLERANCE`).
    public var sourceTolerance: Duration = .seconds(600)
    /// How long `/readyz` answers 503 before the listener closes on a graceful stop, so a load
    /// balancer stops sending requests first (`WIREHOOK_SHUTDOWN_GRACE`).
    public var shutdownGrace: Duration = .zero
    /// Spans for requests, ingest commits, claims and attempts, exported by the tracer that
    /// `TracingBootstrap` installed; set by `wirehook serve` when it installed one.
    public var tracing = false {
        didSet { worker.tracing = tracing }
    }

    /// Which parts a process runs; with PostgreSQL, API and worker processes can scale apart.
    /// The breaker and auto-disable rules; probes wait as retries do.
    public var healthPolicy: HealthPolicy {
        HealthPolicy(breakerThreshold: breakerThreshold, disableAfter: disableAfter, probeWaits: retryPolicy.delays)
    }

    public enum Role: String, Sendable, CaseIterable {
        case all, api, worker

        public var runsWorker: Bool { self != .api }
        /// Worker-only processes answer `/health` and nothing else.
        public var servesAPI: Bool { self != .worker }
    }

    public init() {}

    /// Sets the worker's concurrency; the per-endpoint cap follows it unless it was set on its own.
    public mutating func setConcurrency(_ concurrency: Int) {
        let explicitCap = environment["WIREHOOK_MAX_PER_ENDPOINT"].map { !$0.isEmpty } ?? false
        let previous = worker
        worker = WorkerConfiguration(
            concurrency: concurrency, maxPerEndpoint: explicitCap ? worker.maxPerEndpoint : nil, timeout: worker.timeout,
            pollInterval: worker.pollInterval, leaseMargin: worker.leaseMargin, recordBatchSize: worker.recordBatchSize)
        worker.storeTimeout = previous.storeTimeout
        worker.maxStorePause = previous.maxStorePause
    }

    /// Reads `WIREHOOK_*` variables; a bad value names the variable in the error.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationError) -> ServerConfiguration
    {
        var configuration = ServerConfiguration()
        configuration.environment = environment
        func value(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        func integer(_ name: String, _ range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
            guard let text = value(name) else { return nil }
            guard let number = Int(text), range.contains(number) else {
                throw ConfigurationError("\(name)='\(text)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }
        func duration(_ name: String) throws(ConfigurationError) -> Duration? {
            guard let text = value(name) else { return nil }
            guard let parsed = DurationText.parse(text), parsed > .zero else {
                throw ConfigurationError("\(name)='\(text)' must be a duration such as 10s, 500ms or 30d")
            }
            return parsed
        }
        if let host = value("WIREHOOK_HOST") { configuration.host = host }
        if let port = try integer("WIREHOOK_PORT", 0...65535) { configuration.port = port }
        if let dir = value("WIREHOOK_DATA_DIR") { configuration.dataDirectory = dir }
        if let token = value("WIREHOOK_ADMIN_TOKEN") {
            guard token.utf8.count >= 16, token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw ConfigurationError("WIREHOOK_ADMIN_TOKEN must be at least 16 printable characters without spaces")
            }
            configuration.adminToken = token
        }
        if let keys = value(SecretBox.environmentName) { configuration.secrets = try SecretBox.parse(keys) }
        if let limit = try integer("WIREHOOK_BODY_LIMIT", 1024...(64 << 20)) { configuration.bodyLimit = limit }
        if let schedule = value("WIREHOOK_RETRY_SCHEDULE") {
            do {
                configuration.retryPolicy = try RetryPolicy.parse(schedule)
            } catch {
                throw ConfigurationError("WIREHOOK_RETRY_SCHEDULE: \(error.message)")
            }
        }
        var concurrency = configuration.worker.concurrency
        var perEndpoint: Int? = nil
        var timeout = configuration.worker.timeout
        if let value = try integer("WIREHOOK_CONCURRENCY", 1...10_000) { concurrency = value }
        if let value = try integer("WIREHOOK_MAX_PER_ENDPOINT", 1...10_000) { perEndpoint = value }
        if let value = try duration("WIREHOOK_TIMEOUT") { timeout = value }
        // Only a fallback: new work wakes the worker at once (in-process, or LISTEN/NOTIFY).
        var pollInterval = configuration.worker.pollInterval
        if let value = try duration("WIREHOOK_POLL_INTERVAL") { pollInterval = value }
        configuration.worker = WorkerConfiguration(
            concurrency: concurrency, maxPerEndpoint: perEndpoint, timeout: timeout, pollInterval: pollInterval)
        if let value = try duration("WIREHOOK_DATABASE_TIMEOUT") { configuration.worker.storeTimeout = value }
        if let value = try duration("WIREHOOK_RETENTION") { configuration.retention = value }
        if let value = try integer("WIREHOOK_BREAKER_THRESHOLD", 0...1_000_000) { configuration.breakerThreshold = value }
        if let text = value("WIREHOOK_DISABLE_AFTER") {
            configuration.disableAfter = text.trimmingCharacters(in: .whitespaces) == "0" ? nil : try duration("WIREHOOK_DISABLE_AFTER")
        }
        if let value = try duration("WIREHOOK_INGEST_TIMEOUT") { configuration.ingestTimeout = value }
        if let value = try integer("WIREHOOK_INGEST_QUEUE_LIMIT", 1...1_000_000) {
            configuration.ingestLimits.requests = value
        }
        if let value = try integer("WIREHOOK_INGEST_QUEUE_BYTES", 1024...(16 << 30)) {
            configuration.ingestLimits.bytes = value
        }
        if let value = try integer("WIREHOOK_PARSE_CONCURRENCY", 1...10_000) { configuration.parseConcurrency = value }
        if let path = value("WIREHOOK_CONFIG") { configuration.configPath = path }
        if let url = value("WIREHOOK_DATABASE_URL") { configuration.databaseURL = url }
        if let size = try integer("WIREHOOK_DATABASE_POOL_SIZE", 1...500) { configuration.databasePoolSize = size }
        if let role = value("WIREHOOK_ROLE") {
            guard let parsed = Role(rawValue: role) else {
                throw ConfigurationError("WIREHOOK_ROLE='\(role)' must be all, api or worker")
            }
            configuration.role = parsed
        }
        switch TargetPolicy.parse(
            allowPrivate: value(TargetPolicy.allowSetting), allowedTargets: value(TargetPolicy.listSetting))
        {
        case .success(let policy): configuration.targets = policy
        case .failure(let error): throw error
        }
        if let value = try duration("WIREHOOK_SOURCE_TOLERANCE") { configuration.sourceTolerance = value }
        if let text = value("WIREHOOK_PUBLIC_URL") {
            guard let url = PublicURL(text) else {
                throw ConfigurationError(
                    "WIREHOOK_PUBLIC_URL='\(text)' must be an http or https URL such as https://example.com/wirehook")
            }
            configuration.publicURL = url
        }
        if let value = try duration("WIREHOOK_SHUTDOWN_GRACE") {
            guard value <= .seconds(300) else {
                throw ConfigurationError("WIREHOOK_SHUTDOWN_GRACE must be at most 5m")
            }
            configuration.shutdownGrace = value
        }
        if let level = value("WIREHOOK_LOG_LEVEL") ?? value("LOG_LEVEL") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError("WIREHOOK_LOG_LEVEL='\(level)' must be trace, debug, info, notice, warning or error")
            }
            configuration.logLevel = parsed
        }
        return configuration
    }
}
