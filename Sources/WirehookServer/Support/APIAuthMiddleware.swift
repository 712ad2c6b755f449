import Foundation
import Hummingbird
import WirehookCore
import WirehookVerify

/// Requires `Authorization: Bearer <admin token or API key>` holding `scope`, on the route group
/// it is added to.
///
/// It sits on groups rather than the whole router, so a route is public only by being registered
/// outside every group (health, panel ingest), never by matching a list of path prefixes.
/// The admin token holds every scope. An API key is looked up by its SHA-256 and compared in
/// constant time; a `nil` scope accepts any valid key.
struct APIAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]
    let keys: any APIKeyStore
    let scope: APIScope?
    let time: TimeSource

    init(token: String, keys: any APIKeyStore, scope: APIScope?, time: TimeSource) {
        self.token = Array(token.utf8)
        self.keys = keys
        self.scope = scope
        self.time = time
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization] else {
            throw WirehookError(.unauthorized, "missing 'Authorization: Bearer <admin token or API key>' header")
        }
        let prefix = "Bearer "
        guard header.utf8.count > prefix.utf8.count, header.lowercased().hasPrefix("bearer ") else {
            throw WirehookError(.unauthorized, "the Authorization header must be 'Bearer <admin token or API key>'")
        }
        let presented = String(header.dropFirst(prefix.count))
        if HMACSignature.constantTimeEquals(Array(presented.utf8), token) {
            return try await next(request, context)
        }
        guard presented.hasPrefix(APIKey.prefix), let key = try await keys.apiKey(hash: APIKey.hash(of: presented)),
            key.matches(presented)
        else {
            throw WirehookError(.unauthorized, "invalid admin token or API key")
        }
        if let scope, !key.allows(scope) {
            throw WirehookError(.forbidden, "this API key lacks the '\(scope.rawValue)' scope")
        }
        let now = time.now()
        if key.needsTouch(now: now) {
            // Best effort: a failed bookkeeping write must not refuse an authorised request.
            try? await keys.touchAPIKey(id: key.id, at: now)
        }
        return try await next(request, context)
    }
}
