import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import WirehookAdmin
import WirehookCore
import WirehookServer

/// `wirehook doctor`: checks settings, database and endpoints, and says what to fix.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the configuration, the database and every endpoint, and say what to fix.",
        discussion: """
            Reads the same WIREHOOK_* settings as `wirehook serve` (run it with the server's environment, \
            e.g. as its user). Exit status 0 when nothing must be fixed (warnings allowed), 1 otherwise.
            """)

    @Option(name: .customLong("data-dir"), help: "The server's data directory (env WIREHOOK_DATA_DIR).") var dataDir: String?
    @Option(help: "postgres://… URL (env WIREHOOK_DATABASE_URL).") var database: String?
    @Option(help: "The server's YAML file (env WIREHOOK_CONFIG).") var config: String?
    @Option(help: "A running server to ask for /readyz (env WIREHOOK_URL; default http://127.0.0.1:8080).")
    var server: String?
    @Flag(name: .customLong("skip-endpoints"), help: "Do not connect to the endpoints.") var skipEndpoints = false
    @Option(help: "Per-endpoint network timeout (default 5s).") var timeout: String = "5s"
    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        let output = AdminOutput(json: json)
        guard let limit = DurationText.parse(timeout), limit > .zero, limit <= .seconds(60) else {
            throw ValidationError("--timeout must be a duration up to 60s, such as 5s")
        }
        let environment = ProcessInfo.processInfo.environment
        var checks: [DoctorCheck] = []
        var configuration: ServerConfiguration
        do {
            configuration = try ServerConfiguration.fromEnvironment(environment)
        } catch {
            checks.append(DoctorCheck("configuration", "settings", .fail, error.message, fix: "correct the variable it names"))
            configuration = ServerConfiguration()
        }
        if let dataDir { configuration.dataDirectory = dataDir }
        if let database { configuration.databaseURL = database }
        if let config { configuration.configPath = config }
        let review = SetupReview(configuration: configuration, environment: environment)
        if checks.isEmpty { checks += review.configurationChecks() }

        let client = AdminClient.makeHTTPClient()
        let baseURL = (server ?? environment["WIREHOOK_URL"] ?? ServerTarget.defaultURL).trimmingSuffix("/")
        checks.append(await ServerProbe.check(baseURL: baseURL, client: client))
        let probe = EndpointProbe(targets: configuration.targets, timeout: limit)
        checks += await review.databaseChecks(logger: Logger(label: "wirehook-doctor", factory: { _ in SwiftLogNoOpLogHandler() })) {
            endpoints in
            var found: [DoctorCheck] = []
            if endpoints.isEmpty { found.append(DoctorCheck("endpoints", "count", .ok, "no endpoints yet")) }
            for endpoint in endpoints {
                let section = "endpoint \(endpoint.id)"
                guard endpoint.active else {
                    found.append(DoctorCheck(section, "status", .ok, "disabled: not checked"))
                    continue
                }
                if skipEndpoints || endpoint.format == "telegram" || endpoint.format == "discord" {
                    // Chat formats post to a fixed public API; probing it says nothing about this endpoint.
                    found.append(DoctorCheck(section, "URL", .ok, skipEndpoints ? "not checked (--skip-endpoints)" : "\(endpoint.format) API"))
                    continue
                }
                if endpoint.health.state.rawValue != "healthy" {
                    found.append(
                        DoctorCheck(
                            section, "health", .warn, "\(endpoint.health.state.rawValue)\(endpoint.health.reason.map { ": \($0)" } ?? "")",
                            fix: "wirehook webhooks show \(endpoint.id); fix the receiver, then `wirehook webhooks enable` if it was disabled"))
                }
                found += await probe.check(section: section, url: endpoint.url, client: client)
            }
            return found
        }
        try? await client.shutdown()
        let report = DoctorReport(checks: checks)
        output.show(report.json) { report.text(palette: $0) }
        if report.exitStatus != .success { throw ExitCode(report.exitStatus.rawValue) }
    }
}
