import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WirehookCore
import WirehookVerify

/// The web dashboard (`/`, `/ui/...`, `/assets/...`): server-rendered pages over the same
/// controllers, rules and scopes as the API.
///
/// Every action goes through the function the API route calls (`WebhooksController.create`,
/// `RepairController.retryDelivery`, ...), so the dashboard can neither do more than the API
/// nor word an error differently. A session stands in for the bearer token; each page and
/// action names the scope it needs, as each API route group does.
struct Dashboard<Context: RequestContext>: Sendable {
    let store: any WebhookStore
    let webhooks: WebhooksController<Context>
    let repair: RepairController<Context>
    let stream: DeliveryStreamController<Context>
    let catalog: EventCatalog
    let formats: FormatRegistry
    let ingest: IngestQueue
    let adminToken: [UInt8]
    let sessions: SessionStore
    let limiter: SignInLimiter
    let time: TimeSource
    let publicURL: PublicURL?
    let views: DashboardViews

    static var sessionCookie: String { "wirehook_session" }
    static var signInCookie: String { "wirehook_signin" }

    /// The path prefix a reverse proxy mounts us under ("" when none): every link carries it.
    var prefix: String { publicURL?.pathPrefix ?? "" }

    func addRoutes(to router: some RouterMethods<Context>) {
        router.get("/") { _, _ in redirect(to: "/ui/endpoints") }
        router.get("/ui") { _, _ in redirect(to: "/ui/endpoints") }
        router.get("/assets/dashboard.css") { _, _ in asset(DashboardAssets.stylesheet, type: "text/css; charset=utf-8") }
        router.get("/assets/dashboard.js") { _, _ in
            asset(DashboardAssets.script, type: "text/javascript; charset=utf-8")
        }
        addSignInRoutes(to: router)
        addEndpointRoutes(to: router)
        addFormRoutes(to: router)
        addDeliveryRoutes(to: router)
        addEventRoutes(to: router)
        addLiveRoutes(to: router)
    }

    // MARK: Who is asking

    /// A signed-in request: its session and, for a key, the key as stored now.
    struct Visit: Sendable {
        let sessionID: String
        let session: DashboardSession
        let key: APIKey?

        func allows(_ scope: APIScope) -> Bool { key?.allows(scope) ?? true }
        var canWrite: Bool { allows(.webhooksWrite) }
    }

    /// The request's live session, or nil: no cookie, an expired session, or a revoked key.
    func visit(_ request: Request) async throws -> Visit? {
        guard let id = request.cookies[Self.sessionCookie]?.value, !id.isEmpty, id.utf8.count <= 100,
            let session = try await sessions.session(id: id, now: time.now())
        else { return nil }
        switch session.credential {
        case .adminToken:
            return Visit(sessionID: id, session: session, key: nil)
        case .apiKey(let hash):
            guard let key = try await store.apiKey(hash: hash) else {
                try await sessions.close(id: id)
                return nil
            }
            return Visit(sessionID: id, session: session, key: key)
        }
    }

    /// The API's refusal for a missing scope, word for word.
    static func lacking(_ scope: APIScope) -> WirehookError {
        WirehookError(.forbidden, "this API key lacks the '\(scope.rawValue)' scope")
    }

    /// A page that needs `scope`: signed out goes to the sign-in form; errors become an error page.
    func page(
        _ scope: APIScope?, _ body: @escaping @Sendable (Request, Context, Visit) async throws -> Response
    ) -> @Sendable (Request, Context) async throws -> Response {
        { request, context in
            guard let visit = try await visit(request) else { return signInRedirect() }
            do {
                if let scope, !visit.allows(scope) { throw Self.lacking(scope) }
                return try await body(request, context, visit)
            } catch let error as WirehookError {
                return try await errorPage(error, visit: visit)
            }
        }
    }

    /// A form post that needs `scope` and the session's CSRF token. A refused action comes back
    /// as a notice on the page at `back` (the API's message), since the form is on that page.
    func action(
        _ scope: APIScope?, back: @escaping @Sendable (Context) -> String,
        _ body: @escaping @Sendable (Request, Context, Visit, FormBody) async throws -> Response
    ) -> @Sendable (Request, Context) async throws -> Response {
        { request, context in
            guard let visit = try await visit(request) else { return signInRedirect() }
            let form: FormBody
            do {
                form = try await FormBody.read(request)
            } catch let error as WirehookError {
                return try await errorPage(error, visit: visit)
            }
            guard let token = form["csrf"],
                HMACSignature.constantTimeEquals(Array(token.utf8), Array(visit.session.csrfToken.utf8))
            else {
                return try await errorPage(
                    WirehookError(.forbidden, "the form has expired or did not come from this dashboard; reload the page and try again"),
                    visit: visit)
            }
            do {
                if let scope, !visit.allows(scope) { throw Self.lacking(scope) }
                return try await body(request, context, visit, form)
            } catch let error as WirehookError {
                try await sessions.setFlash(id: visit.sessionID, .init(message: error.message, isError: true))
                return redirect(to: back(context))
            }
        }
    }

    // MARK: Responses

    func redirect(to path: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = prefix + path
        SecurityHeaders.apply(to: &headers)
        return Response(status: .seeOther, headers: headers)
    }

    func signInRedirect() -> Response {
        var response = redirect(to: "/ui/sign-in")
        // A stale cookie is dropped so the browser stops sending it.
        response.setCookie(sessionCookie(value: "", maxAge: 0))
        return response
    }

    /// A notice for the next page, then there.
    func done(_ visit: Visit, _ message: String, then path: String) async throws -> Response {
        try await sessions.setFlash(id: visit.sessionID, .init(message: message, isError: false))
        return redirect(to: path)
    }

    func html(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        // Pages show live figures and masked secrets; nothing is worth caching.
        headers[.cacheControl] = "no-store"
        SecurityHeaders.apply(to: &headers)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    func asset(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=300"
        SecurityHeaders.apply(to: &headers)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A full page in the layout, with the session's pending notice.
    func render(
        _ template: String, _ view: Any, title: String, visit: Visit?, section: String, status: HTTPResponse.Status = .ok,
        refresh: Int? = nil
    ) async -> Response {
        var flash: DashboardSession.Flash? = nil
        // A notice that cannot be read is lost, not worth failing the page for.
        if let visit { flash = try? await sessions.takeFlash(id: visit.sessionID) }
        let layout = LayoutView(
            title: title, prefix: prefix, signedIn: visit != nil, csrf: visit?.session.csrfToken ?? "",
            credential: visit.map { $0.key.map { "API key \($0.name)" } ?? "admin token" } ?? "",
            canWrite: visit?.canWrite ?? false, flash: flash?.message, flashIsError: flash?.isError ?? false,
            inEndpoints: section == "endpoints", inEvents: section == "events", inLive: section == "live",
            refresh: refresh, content: views.render(template, view))
        return html(views.render("layout", layout), status: status)
    }

    func errorPage(_ error: WirehookError, visit: Visit?) async throws -> Response {
        let status = ErrorMiddleware<Context>.status(for: error.code)
        return await render(
            "error", ErrorView(status: Int(status.code), reason: status.reasonPhrase, message: error.message),
            title: status.reasonPhrase, visit: visit, section: "", status: status)
    }

    func sessionCookie(value: String, maxAge: Int?) -> Cookie {
        Cookie(
            name: Self.sessionCookie, value: value, maxAge: maxAge, path: prefix.isEmpty ? "/" : prefix,
            secure: publicURL?.isHTTPS ?? false, httpOnly: true, sameSite: .strict)
    }
}
