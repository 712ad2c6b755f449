import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import WirehookCore
import WirehookServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the Wirehook server (API, ingest and delivery worker).")

    @Option(help: "Address to listen on (env WIREHOOK_HOST, default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (env WIREHOOK_PORT, default 8080; 0 picks a free one).") var port: Int?
    @Option(name: .customLong("data-dir"), help: "Where the database and admin token live (env WIREHOOK_DATA_DIR).")
    var dataDir: String?
    @Option(help: "Attempts in flight at once (env WIREHOOK_CONCURRENCY, default 64).") var concurrency: Int?
    @Option(help: "YAML file with wg-portal's webhook block and source secrets (env WIREHOOK_CONFIG).")
    var config: String?
    @Option(help: "postgres://user:pass@host:port/db to share one queue between processes (env WIREHOOK_DATABASE_URL).")
    var database: String?
    @Option(help: "all, api or worker (env WIREHOOK_ROLE; api/worker need --database).") var role: String?
    @Option(
        name: .customLong("log-format"),
        help: "json, logfmt or text (env WIREHOOK_LOG_FORMAT; default text on a terminal, json otherwise).")
    var logFormat: String?

    func run() async throws {
        var configuration: ServerConfiguration
        do {
            configuration = try ServerConfiguration.fromEnvironment()
        } catch {
            FileHandle.standardError.write(Data("wirehook: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
        if let host { configuration.host = host }
        if let port {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
            configuration.port = port
        }
        if let dataDir { configuration.dataDirectory = dataDir }
        if let config { configuration.configPath = config }
        if let database { configuration.databaseURL = database }
        if let role {
            guard let parsed = ServerConfiguration.Role(rawValue: role) else {
                throw ValidationError("--role must be all, api or worker")
            }
            configuration.role = parsed
        }
        if let concurrency {
            guard (1...10_000).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 10000") }
            configuration.setConcurrency(concurrency)
        }
        let level = configuration.logLevel
        let format: LogFormat
        do {
            format = try LogFormat.resolve(flag: logFormat)
        } catch {
            Console.error("wirehook: \(error.message)")
            throw ExitCode(2)
        }
        LoggingSystem.bootstrap { label in
            guard format == .text else { return LineLogHandler(label: label, format: format, level: level) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "wirehook")
        let host = configuration.host
        let tracing: (any Service)?
        do {
            tracing = try TracingBootstrap.start(environment: ProcessInfo.processInfo.environment, logger: logger)
        } catch {
            Console.error("wirehook: \(error.message)")
            throw ExitCode(2)
        }
        configuration.tracing = tracing != nil
        let app: WirehookApp
        do {
            app = try await WirehookApp.build(
                configuration: configuration, logger: logger, metrics: WirehookMetrics.bootstrap()
            ) { port in
                Console.line("Wirehook \(WirehookVersion.current) listening on http://\(host):\(port)")
            }
        } catch let error as ConfigurationError {
            Console.error("wirehook: \(error.message)")
            throw ExitCode(2)
        } catch {
            Console.error("wirehook: could not start: \(error)")
            throw ExitCode(1)
        }
        if app.adminTokenGenerated {
            let path = AdminToken.path(dataDirectory: configuration.dataDirectory)
            // Output that is not a terminal usually ends up in a log (systemd's journal, docker
            // logs, CI) where others can read it; only a person at a terminal sees the token.
            if isatty(STDOUT_FILENO) == 1 {
                Console.line(
                    """
                    Generated an admin token (shown once; kept in \(path), mode 0600):
                      \(app.adminToken)
                    """)
            } else {
                Console.line("Generated an admin token; it is in \(path) (mode 0600)")
            }
        }
        // The exporter is first so it stops last, after the app's final spans.
        var groupConfiguration = ServiceGroupConfiguration(
            services: (tracing.map { [$0] } ?? []) + [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // A stop always ends: past the worker's drain, anything still waiting (say, on a database
        // that is gone) is cancelled, and then abandoned.
        groupConfiguration.maximumGracefulShutdownDuration = configuration.worker.drainTimeout + .seconds(15)
        groupConfiguration.maximumCancellationDuration = .seconds(5)
        let group = ServiceGroup(configuration: groupConfiguration)
        try await group.run()
    }
}
