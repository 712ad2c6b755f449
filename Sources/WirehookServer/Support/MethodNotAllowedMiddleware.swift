import Hummingbird
import NIOCore

/// Answers a wrong method on a known route with `405` and `Allow`, where Hummingbird's router
/// answers `404` for both an unknown path and an unknown method.
///
/// The router keeps its routes to itself, so `routes` is a second router built from the same
/// route registrations whose only middleware (`RouteProbeMiddleware`) answers 200 for a match
/// without running the handler: asking it each method gives the `Allow` list.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouterResponder<Context>

    static var probedMethods: [HTTPRequest.Method] { [.get, .head, .post, .put, .patch, .delete] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // Only the router's own "no route" (its responder names the endpoint "NotFound"), not a
            // handler's "no such webhook".
            let endpoint = context.endpointPath
            guard endpoint == nil || endpoint == "NotFound" else { throw error }
            let allowed = try await allowedMethods(for: request, context: context)
            // Probing shares the context's endpoint-path box; put back what metrics should see.
            context.coreContext.endpointPath.value = endpoint
            guard !allowed.isEmpty else { throw error }
            var response = JSONResponse.error(
                .methodNotAllowed, code: "method_not_allowed",
                message: "\(request.method.rawValue) is not allowed on \(request.uri.path); use \(allowed.joined(separator: ", "))")
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
        }
    }

    func allowedMethods(for request: Request, context: Context) async throws -> [String] {
        var allowed: [String] = []
        for method in Self.probedMethods where method != request.method {
            var head = request.head
            head.method = method
            let probe = Request(head: head, body: .init(buffer: ByteBuffer()))
            // The box is shared with the real request; the probe middleware reads it as "matched".
            context.coreContext.endpointPath.value = nil
            if try await routes.respond(to: probe, context: context).status == .ok { allowed.append(method.rawValue) }
        }
        return allowed
    }
}

/// The probe router's only middleware: says whether a route matched, and never runs it.
struct RouteProbeMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        // The router names the endpoint before calling a matched route's chain; its not-found
        // chain names it only inside, after this middleware.
        Response(status: context.endpointPath == nil ? .notFound : .ok)
    }
}
