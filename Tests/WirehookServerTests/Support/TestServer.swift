import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import WirehookCore
import WirehookDelivery
import WirehookServer

/// The real Wirehook server, in-process on a free port with its own temporary data directory.
final class TestServer: Sendable {
    static let adminToken = "test-admin-token-0123456789"

    let baseURL: String
    let dataDirectory: String
    let app: WirehookApp
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(baseURL: String, dataDirectory: String, app: WirehookApp, group: ServiceGroup, task: Task<Void, any Error>) {
        self.baseURL = baseURL
        self.dataDirectory = dataDirectory
        self.app = app
        self.group = group
        self.task = task
    }

    static func makeConfiguration(dataDirectory: String? = nil, retry: String = "200ms,400ms") throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.dataDirectory = dataDirectory ?? TemporaryDirectory.make()
        configuration.adminToken = adminToken
        configuration.databaseURL = try TestDatabase.makeIfEnabled()
        configuration.retryPolicy = try RetryPolicy.parse(retry)
        // Test receivers listen on 127.0.0.1, which the SSRF guard refuses unless told otherwise.
        configuration.targets = .allowingPrivate
        // A generous attempt deadline: on a loaded 2-core CI box a local answer can take seconds,
        // and a timed-out attempt that did reach the receiver would be sent again. Tests about
        // timeouts set their own.
        configuration.worker = WorkerConfiguration(concurrency: 32, timeout: .seconds(8), pollInterval: .milliseconds(50))
        return configuration
    }

    /// `metrics`: a registry to serve `/metrics` from, as `wirehook serve` does; none by default,
    /// since swift-metrics' backend is per process.
    static func start(
        _ configuration: ServerConfiguration? = nil, time: TimeSource = .system,
        metrics: PrometheusCollectorRegistry? = nil
    ) async throws -> TestServer {
        let configuration = try configuration ?? makeConfiguration()
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        // WIREHOOK_TEST_LOG=debug shows the servers' logs when a test needs explaining.
        var logger = Logger(label: "wirehook-test", factory: { label in
            ProcessInfo.processInfo.environment["WIREHOOK_TEST_LOG"] == nil
                ? SwiftLogNoOpLogHandler() as any LogHandler : StreamLogHandler.standardError(label: label)
        })
        if let level = ProcessInfo.processInfo.environment["WIREHOOK_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) {
            logger.logLevel = level
        }
        let app = try await WirehookApp.build(configuration: configuration, time: time, logger: logger, metrics: metrics) {
            port in
            portContinuation.yield(port)
        }
        let group = ServiceGroup(services: [app], logger: logger)
        // Finishing the port stream when the group ends turns a failed start into an error here
        // instead of a test that waits forever.
        let task = Task {
            defer { portContinuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw TestFailure("the server stopped before it listened")
        }
        return TestServer(
            baseURL: "http://127.0.0.1:\(port)", dataDirectory: configuration.dataDirectory, app: app, group: group,
            task: task)
    }

    /// Graceful stop, as SIGTERM would do it; waits until every service has returned.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    var api: APIClient { APIClient(baseURL: baseURL, token: Self.adminToken) }
}

enum TemporaryDirectory {
    static func make() -> String {
        let path = NSTemporaryDirectory() + "wirehook-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
