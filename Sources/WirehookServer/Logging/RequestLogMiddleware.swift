import Hummingbird
import Logging
import WirehookCore

/// One info line per request: method, path (never the query or the body), status and duration.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, status: Int(response.status.code), since: start)
            return response
        } catch {
            // It runs outside the error middleware, so only an error that escaped it arrives here.
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(request, status: Int(status), since: start)
            throw error
        }
    }

    func log(_ request: Request, status: Int, since start: ContinuousClock.Instant) {
        let milliseconds = (ContinuousClock.now - start).milliseconds
        logger.info(
            "Request",
            metadata: [
                "http.method": "\(request.method.rawValue)", "http.path": "\(request.uri.path.prefix(200))",
                "http.status": "\(status)", "http.duration_ms": "\(milliseconds)",
            ])
    }
}
