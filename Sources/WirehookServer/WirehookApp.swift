import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import PostgresNIO
import Prometheus
import ServiceLifecycle
import WirehookCore
import WirehookDelivery
import WirehookPostgres
import WirehookSQLite

/// Wirehook assembled: store, ingest queue, delivery worker and HTTP API.
///
/// `run()` prepares the database (migrations, compat endpoints) and then runs the parts as one
/// service group, which stops them in reverse order: the API first, then the worker drains.
public struct WirehookApp: Service {
    public let adminToken: String
    /// True when the token was generated on this start (print it once).
    public let adminTokenGenerated: Bool
    public let store: any WebhookStore
    /// What the router serves, read from the router itself, for checking against `APIContract`.
    /// HEAD is answered wherever GET is (`autoGenerateHeadEndpoints`) and is not listed.
    public let routes: [ServedRoute]
    /// What `/readyz` answers from; tests read it too.
    public let readiness: Readiness
    let services: [any Service]
    let postgres: PostgresClient?
    let prepare: @Sendable () async throws -> Void
    let logger: Logger

    public static func build(
        configuration: ServerConfiguration,
        formats: FormatRegistry = .standard,
        catalog: EventCatalog = .standard,
        time: TimeSource = .system,
        logger: Logger,
        metrics: PrometheusCollectorRegistry? = nil,
        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) async throws -> WirehookApp {
        try FileManager.default.createDirectory(
            atPath: configuration.dataDirectory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let (token, generated) = try AdminToken.load(
            configured: configuration.adminToken, dataDirectory: configuration.dataDirectory)
        let compat = try CompatConfiguration.load(
            environment: configuration.environment, yamlPath: configuration.configPath, catalog: catalog, now: time.now())
        // The panels' URLs are held to the SSRF guard as API-created ones are: a literal private
        // address stops start-up with the setting to change, rather than failing every attempt.
        for endpoint in compat.endpoints {
            if let refusal = configuration.targets.literalRefusal(url: endpoint.url) {
                throw ConfigurationError("\(endpoint.description): \(endpoint.url): \(refusal)")
            }
        }
        let signal = WorkSignal()
        let readiness = Readiness()

        let store: any WebhookStore
        var postgres: PostgresClient? = nil
        var databaseServices: [any Service] = []
        let prepareStore: @Sendable () async throws -> Void
        if let url = configuration.databaseURL {
            var pgConfiguration = try PostgresStore.configuration(url: url)
            pgConfiguration.options.maximumConnections = configuration.databasePoolSize
            let client = PostgresClient(configuration: pgConfiguration, backgroundLogger: logger)
            let pgStore = PostgresStore(client: client, logger: logger, secrets: configuration.secrets)
            postgres = client
            store = pgStore
            prepareStore = { try await pgStore.migrate() }
            if configuration.role.runsWorker {
                databaseServices.append(PostgresWakeListener(client: client, logger: logger) { signal.notify() })
            }
        } else {
            guard configuration.role == .all else {
                throw ConfigurationError("--role \(configuration.role.rawValue) needs a shared PostgreSQL database (--database)")
            }
            let sqlite = try SQLiteStore(
                path: (configuration.dataDirectory as NSString).appendingPathComponent("wirehook.sqlite"),
                secrets: configuration.secrets)
            store = sqlite
            // One process owns the embedded database, so leases left by a crash are released at once.
            prepareStore = { try await sqlite.releaseLeases(owner: nil) }
        }

        let ingest = IngestQueue(
            store: store, fanOut: FanOut(formats: formats), signal: signal, time: time, logger: logger,
            answerWithin: configuration.ingestTimeout, limits: configuration.ingestLimits,
            tracing: configuration.tracing)
        let bodies = BodyReader(
            limit: configuration.bodyLimit,
            slots: ParseSlots(count: configuration.parseConcurrency, wait: configuration.ingestTimeout))
        let client = HTTPSender.makeClient(maxConnectionsPerHost: configuration.worker.maxPerEndpoint)
        let sender = HTTPSender(
            client: client, targets: configuration.targets, maxConnectionsPerHost: configuration.worker.maxPerEndpoint)
        let worker = DeliveryWorker(
            store: store, sender: sender, formats: formats, policy: configuration.retryPolicy,
            health: configuration.healthPolicy, configuration: configuration.worker, signal: signal, time: time,
            logger: logger)
        let retention = RetentionJob(
            store: store, retention: configuration.retention, interval: .seconds(3600), batchSize: 1000,
            deadline: configuration.worker.storeTimeout, time: time, logger: logger)

        let contract = try APIContract.json()
        // Shared by both routers below, so a session opened on one is known to the other.
        let sessions = SessionStore(store: store)
        let signInLimiter = SignInLimiter()
        let dashboardViews = try DashboardViews()

        // One list of routes for two routers: the real one, and a probe that only tells which
        // methods a path has, for `405` with `Allow`. HEAD is answered wherever GET is.
        // Every route but /health, /openapi.json and /ingest is registered on a group that demands a
        // credential with the route's scope; panels prove themselves with their own secrets on /ingest.
        func addRoutes(to router: Router<BasicRequestContext>) {
            HealthController(
                store: store, storeKind: configuration.databaseURL == nil ? "sqlite" : "postgresql",
                role: configuration.role, deadline: .seconds(2), readiness: readiness
            ).addRoutes(to: router)
            func scoped(_ scope: APIScope?) -> RouterGroup<BasicRequestContext> {
                router.group().add(middleware: APIAuthMiddleware(token: token, keys: store, scope: scope, time: time))
            }
            // Every role exposes its metrics; workers are the processes most worth watching.
            if let metrics {
                WirehookMetrics.addRoute(to: scoped(.admin), registry: metrics) { [store] in try await store.endpoints() }
            }
            guard configuration.role.servesAPI else { return }
            APIContract.addRoute(to: router, json: contract)
            EventsController(ingest: ingest, catalog: catalog, time: time, bodies: bodies)
                .addRoutes(to: scoped(.eventsWrite))
            // The catalog holds nothing secret: any valid key may read it.
            EventTypesController(catalog: catalog).addRoutes(to: scoped(nil))
            PanelIngestController(
                sources: compat.sources, normalizer: PanelNormalizer(catalog: catalog),
                tolerance: configuration.sourceTolerance, ingest: ingest, time: time, bodies: bodies, logger: logger
            ).addRoutes(to: router)
            let webhooks = WebhooksController<BasicRequestContext>(
                store: store, formats: formats, catalog: catalog, targets: configuration.targets, ingest: ingest,
                time: time, bodies: bodies, testWait: configuration.worker.timeout + .seconds(1))
            webhooks.addReadRoutes(to: scoped(.webhooksRead))
            let stream = DeliveryStreamController<BasicRequestContext>(store: store)
            stream.addRoutes(to: scoped(.webhooksRead))
            webhooks.addWriteRoutes(to: scoped(.webhooksWrite))
            // Retry, recover, rotate-secret and redeliver all make new attempts: webhooks:write.
            let repair = RepairController<BasicRequestContext>(
                store: store, formats: formats, ingest: ingest, signal: signal, time: time, bodies: bodies)
            repair.addRoutes(to: scoped(.webhooksWrite))
            // The dashboard signs in with its own form and session, so it sits outside the
            // bearer-token groups; every page and action checks the same scopes itself.
            Dashboard(
                store: store, webhooks: webhooks, repair: repair, stream: stream, catalog: catalog, formats: formats,
                ingest: ingest,
                adminToken: Array(token.utf8), sessions: sessions, limiter: signInLimiter, time: time,
                publicURL: configuration.publicURL, views: dashboardViews
            ).addRoutes(to: router)
            APIKeysController(store: store, time: time, bodies: bodies).addRoutes(to: scoped(.admin))
        }
        let probe = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
        probe.add(middleware: RouteProbeMiddleware())
        addRoutes(to: probe)
        let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
        // Outermost, so it logs the status the client really gets, errors included.
        if configuration.tracing {
            // A request's own traceparent (a panel that traces) is honoured; tokens in a query never reach a span.
            router.add(
                middleware: TracingMiddleware(redactingQueryParameters: ["token", "secret", "key", "signature", "sig"]))
        }
        router.add(middleware: RequestLogMiddleware(logger: logger))
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: MethodNotAllowedMiddleware(routes: probe.buildResponder()))
        addRoutes(to: router)
        // Read before the application builds its responder, which adds the HEAD routes.
        let routes = router.routes.map(ServedRoute.init).sorted()

        let application = Application(
            router: router,
            // Connections that go quiet (half-sent requests included) are closed, so idle sockets
            // cannot pile up until the process runs out of descriptors.
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [ParserErrorHandler()], idleTimeout: .seconds(30),
                    httpDecoderConfiguration: .init(
                        maxHeaderFieldSize: HeaderLimits.fieldSize, maxHeaderListSize: HeaderLimits.listSize,
                        maxHeaderFieldCount: HeaderLimits.fieldCount))),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "Wirehook"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)

        // Start order; the group stops them in reverse.
        var services: [any Service] = [HTTPClientService(sender: sender)] + databaseServices
        if configuration.role.runsWorker { services += [worker, retention] }
        // A worker-only process still listens, for /health, so supervisors can probe it.
        // Last, so a graceful shutdown reaches it first and /readyz turns 503 before the listener closes.
        services += [ingest, application, ShutdownNotice(readiness: readiness, grace: configuration.shutdownGrace)]
        return WirehookApp(
            adminToken: token, adminTokenGenerated: generated, store: store, routes: routes, readiness: readiness,
            services: services, postgres: postgres,
            prepare: {
                do {
                    try await prepareStore()
                    // Before any delivery is claimed: every secret opens, and all sit under the first key.
                    try await SecretMigration.run(store: store, box: configuration.secrets, logger: logger)
                    // Workers leave the endpoint list alone: the API processes own the panel settings.
                    if configuration.role.servesAPI { try await compat.apply(to: store, now: time.now()) }
                    readiness.markPrepared()
                } catch {
                    // The client's service never runs after a failed start, and an HTTPClient
                    // dropped without shutdown ends the process instead of reporting the error.
                    try? await client.shutdown()
                    throw error
                }
            },
            logger: logger)
    }

    public func run() async throws {
        // The pool is the first service so it stops last: the worker's final writes still reach
        // the database while the rest of the app shuts down.
        var outer: [any Service] = []
        if let postgres { outer.append(PostgresClientService(client: postgres)) }
        outer.append(PreparedServices(prepare: prepare, services: services, logger: logger))
        try await ServiceGroup(configuration: .init(services: outer, logger: logger)).run()
    }
}

/// Prepares the database (migrations, compat endpoints), then runs the app's services as one
/// group, which stops them in reverse order: the API first, then the worker drains.
struct PreparedServices: Service {
    let prepare: @Sendable () async throws -> Void
    let services: [any Service]
    let logger: Logger

    func run() async throws {
        try await prepare()
        try await ServiceGroup(configuration: .init(services: services, logger: logger)).run()
    }
}

extension WirehookApp: CustomStringConvertible {
    /// swift-service-lifecycle logs its services at debug; the default dump would print the admin token.
    public var description: String { "WirehookApp(\(services.count) services)" }
}
