import Hummingbird
import WirehookCore
import WirehookVerify

/// Requires `Authorization: Bearer <admin token>`, compared in constant time.
struct AdminAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]
    /// Paths that answer without a token (health checks, panel ingest with its own secret).
    let publicPrefixes: [String]

    init(token: String, publicPrefixes: [String]) {
        self.token = Array(token.utf8)
        self.publicPrefixes = publicPrefixes
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = request.uri.path
        if publicPrefixes.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) {
            return try await next(request, context)
        }
        guard let header = request.headers[.authorization] else {
            throw WirehookError(.unauthorized, "missing 'Authorization: Bearer <admin token>' header")
        }
        let prefix = "Bearer "
        guard header.count > prefix.count, header.lowercased().hasPrefix("bearer ") else {
            throw WirehookError(.unauthorized, "the Authorization header must be 'Bearer <admin token>'")
        }
        let presented = Array(header.utf8.dropFirst(prefix.utf8.count))
        guard HMACSignature.constantTimeEquals(presented, token) else {
            throw WirehookError(.unauthorized, "invalid admin token")
        }
        return try await next(request, context)
    }
}
