import Hummingbird
import WirehookCore

/// `GET /health`: whether this process can reach its database, for supervisors and load balancers.
struct HealthController<Context: RequestContext> {
    let store: any WebhookStore
    /// Which database it is (`sqlite` or `postgresql`), named in every answer.
    let storeKind: String
    let role: ServerConfiguration.Role
    let deadline: Duration

    func addRoutes(to router: Router<Context>) {
        router.get("/health") { _, _ in await check() }
    }

    func check() async -> Response {
        // A process that cannot reach its database is not healthy, whatever else still runs. A
        // ping that overruns is left behind: a stopped database would otherwise hold the probe too.
        let problem: String?
        do {
            try await withTimeout(deadline) { [store] in try await store.ping() }
            problem = nil
        } catch is TimeoutError {
            problem = "\(storeKind) did not answer within \(DurationText.format(deadline))"
        } catch {
            problem = "\(storeKind) could not be reached: \(error)"
        }
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
