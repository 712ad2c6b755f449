import Hummingbird
import WirehookCore

/// The probes, none of which needs a token: `GET /health` (database reachable, the original
/// combined check), `GET /healthz` (the process answers) and `GET /readyz` (send it traffic).
struct HealthController<Context: RequestContext> {
    let store: any WebhookStore
    /// Which database it is (`sqlite` or `postgresql`), named in every answer.
    let storeKind: String
    let role: ServerConfiguration.Role
    let deadline: Duration
    let readiness: Readiness

    func addRoutes(to router: Router<Context>) {
        router.get("/health") { _, _ in await check() }
        router.get("/healthz") { _, _ in live() }
        router.get("/readyz") { _, _ in await ready() }
    }

    /// Liveness: answering at all is the whole check, so a slow database never gets a live
    /// process restarted by its supervisor.
    func live() -> Response {
        JSONResponse.make(
            .ok,
            [
                "status": "ok", "version": .string(WirehookVersion.current), "role": .string(role.rawValue),
            ])
    }

    /// Readiness: migrations applied, database answering, not shutting down.
    func ready() async -> Response {
        var checks: [JSONMember] = []
        var problems: [String] = []
        if readiness.isStopping {
            problems.append("shutting down")
        }
        checks.append(JSONMember("shutting_down", .bool(readiness.isStopping)))
        if !readiness.isPrepared { problems.append("database migrations have not been applied yet") }
        checks.append(JSONMember("migrations", .string(readiness.isPrepared ? "applied" : "pending")))
        let databaseProblem = await pingProblem()
        if let databaseProblem { problems.append(databaseProblem) }
        checks.append(JSONMember("database", .string(databaseProblem == nil ? "ok" : "unreachable")))
        var members: [JSONMember] = [JSONMember("status", .string(problems.isEmpty ? "ready" : "not_ready"))]
        members += checks
        members.append(JSONMember("store", .string(storeKind)))
        if !problems.isEmpty { members.append(JSONMember("error", .string(problems.joined(separator: "; ")))) }
        members += [
            JSONMember("version", .string(WirehookVersion.current)), JSONMember("role", .string(role.rawValue)),
        ]
        guard !problems.isEmpty else { return JSONResponse.make(.ok, .object(members)) }
        var response = JSONResponse.make(.serviceUnavailable, .object(members))
        response.headers[.retryAfter] = RetryAfter.header(RetryAfter.fallback)
        return response
    }

    /// Why the database cannot be used right now, or nil when it answered within the deadline.
    func pingProblem() async -> String? {
        // A ping that overruns is left behind: a stopped database would otherwise hold the probe too.
        do {
            try await withTimeout(deadline) { [store] in try await store.ping() }
            return nil
        } catch is TimeoutError {
            return "\(storeKind) did not answer within \(DurationText.format(deadline))"
        } catch {
            return "\(storeKind) could not be reached: \(error)"
        }
    }

    func check() async -> Response {
        // A process that cannot reach its database is not healthy, whatever else still runs.
        let problem = await pingProblem()
        var members: [JSONMember] = [
            JSONMember("status", .string(problem == nil ? "ok" : "unavailable")),
            JSONMember("database", .string(problem == nil ? "ok" : "unreachable")),
            JSONMember("store", .string(storeKind)),
        ]
        if let problem { members.append(JSONMember("error", .string(problem))) }
        members += [
            JSONMember("version", .string(WirehookVersion.current)), JSONMember("role", .string(role.rawValue)),
        ]
        guard problem != nil else { return JSONResponse.make(.ok, .object(members)) }
        var response = JSONResponse.make(.serviceUnavailable, .object(members))
        response.headers[.retryAfter] = RetryAfter.header(RetryAfter.fallback)
        return response
    }
}
