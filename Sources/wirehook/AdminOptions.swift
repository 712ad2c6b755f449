import ArgumentParser
import AsyncHTTPClient
import WirehookAdmin

/// How every admin command finds the server and what it prints: `--server`, `--token`,
/// `--data-dir` and `--json`.
struct AdminOptions: ParsableArguments {
    @Option(help: "Wirehook's base URL (env WIREHOOK_URL; default http://127.0.0.1:8080).")
    var server: String?
    @Option(help: "Admin token or API key (env WIREHOOK_TOKEN; default: <data-dir>/admin-token).")
    var token: String?
    @Option(name: .customLong("data-dir"), help: "A local server's data directory, to read its admin token from.")
    var dataDir: String?
    @Flag(help: "Print the server's JSON answer (one document) instead of text.")
    var json = false

    var output: AdminOutput { AdminOutput(json: json) }

    /// Runs `body` with a client for the chosen server; an `AdminError` is printed as the server's
    /// message and becomes the documented exit status.
    func run(_ body: (AdminClient, AdminOutput) async throws -> Void) async throws {
        let output = output
        let target: ServerTarget
        do {
            target = try ServerTarget.resolve(server: server, token: token, dataDirectory: dataDir)
        } catch {
            output.report(error)
            throw ExitCode(error.exitStatus.rawValue)
        }
        let http = AdminClient.makeHTTPClient()
        let failure: (any Error)?
        do {
            try await body(AdminClient(target: target, client: http), output)
            failure = nil
        } catch {
            failure = error
        }
        // An HTTPClient dropped without shutdown ends the process; shut down on every path.
        try? await http.shutdown()
        if let error = failure as? AdminError {
            output.report(error)
            throw ExitCode(error.exitStatus.rawValue)
        }
        if let failure { throw failure }
    }
}
