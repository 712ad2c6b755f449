import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import WirehookCore
import WirehookDelivery
import WirehookSQLite

/// Wirehook assembled: store, ingest queue, delivery worker and HTTP API, as services in start order.
public struct WirehookApp: Sendable {
    /// Run these in one `ServiceGroup`; it stops them in reverse: API first, then the worker drains.
    public let services: [any Service]
    public let adminToken: String
    /// True when the token was generated on this start (print it once).
    public let adminTokenGenerated: Bool
    public let store: any WebhookStore

    public static func build(
        configuration: ServerConfiguration,
        formats: FormatRegistry = .standard,
        time: TimeSource = .system,
        logger: Logger,
        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) async throws -> WirehookApp {
        try FileManager.default.createDirectory(
            atPath: configuration.dataDirectory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let (token, generated) = try AdminToken.load(
            configured: configuration.adminToken, dataDirectory: configuration.dataDirectory)
        let store = try SQLiteStore(
            path: (configuration.dataDirectory as NSString).appendingPathComponent("wirehook.sqlite"))
        // One process owns the embedded database, so leases left by a crash can be released at once.
        try await store.releaseLeases(owner: nil)

        let signal = WorkSignal()
        let ingest = IngestQueue(
            store: store, fanOut: FanOut(formats: formats), signal: signal, time: time, logger: logger)
        let client = HTTPSender.makeClient(maxConnectionsPerHost: configuration.worker.maxPerEndpoint)
        let worker = DeliveryWorker(
            store: store, sender: HTTPSender(client: client), formats: formats, policy: configuration.retryPolicy,
            configuration: configuration.worker, signal: signal, time: time, logger: logger)
        let retention = RetentionJob(
            store: store, retention: configuration.retention, interval: .seconds(3600), batchSize: 1000, time: time,
            logger: logger)

        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: AdminAuthMiddleware(token: token, publicPrefixes: ["/health"]))
        router.get("/health") { _, _ in
            JSONResponse.make(.ok, ["status": "ok", "version": .string(WirehookVersion.current)])
        }
        EventsController(ingest: ingest, time: time, bodyLimit: configuration.bodyLimit).addRoutes(to: router)
        WebhooksController(
            store: store, formats: formats, ingest: ingest, time: time, bodyLimit: configuration.bodyLimit,
            testWait: configuration.worker.timeout + .seconds(1)
        ).addRoutes(to: router)

        let application = Application(
            router: router,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "Wirehook"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
        return WirehookApp(
            services: [HTTPClientService(client: client), ingest, worker, retention, application],
            adminToken: token, adminTokenGenerated: generated, store: store)
    }
}
