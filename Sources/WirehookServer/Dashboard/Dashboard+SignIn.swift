import Foundation
import Hummingbird
import WirehookCore
import WirehookVerify

/// Sign-in with the admin token or an API key, and sign-out.
extension Dashboard {
    func addSignInRoutes(to router: some RouterMethods<Context>) {
        router.get("/ui/sign-in") { request, _ in try await signInForm(request) }
        router.post("/ui/sign-in") { request, _ in try await signIn(request) }
        router.post(
            "/ui/sign-out",
            use: action(nil, back: { _ in "/ui/endpoints" }) { _, _, visit, _ in
                try await sessions.close(id: visit.sessionID)
                var response = redirect(to: "/ui/sign-in?signed_out=1")
                response.setCookie(sessionCookie(value: "", maxAge: 0))
                return response
            })
    }

    /// The sign-in form carries a token that must match a cookie set with it (a double submit):
    /// before there is a session, that is what proves the post came from this page.
    func signInForm(_ request: Request, error: String? = nil, status: HTTPResponse.Status = .ok) async throws
        -> Response
    {
        if error == nil, try await visit(request) != nil { return redirect(to: "/ui/endpoints") }
        let token = RandomToken.make()
        let signedOut = request.uri.queryParameters.get("signed_out") != nil
        var response = await render(
            "sign-in", SignInView(prefix: prefix, csrf: token, error: error, signedOut: signedOut && error == nil),
            title: "Sign in", visit: nil, section: "", status: status)
        response.setCookie(
            Cookie(
                name: Self.signInCookie, value: token, maxAge: 3600, path: prefix.isEmpty ? "/" : prefix,
                secure: publicURL?.isHTTPS ?? false, httpOnly: true, sameSite: .strict))
        return response
    }

    func signIn(_ request: Request) async throws -> Response {
        let form: FormBody
        do {
            form = try await FormBody.read(request)
        } catch let error as WirehookError {
            return try await signInForm(request, error: error.message, status: .badRequest)
        }
        guard let cookie = request.cookies[Self.signInCookie]?.value, let posted = form["csrf"],
            HMACSignature.constantTimeEquals(Array(cookie.utf8), Array(posted.utf8))
        else {
            return try await signInForm(
                request, error: "The form expired; enter the token again.", status: .forbidden)
        }
        let now = time.now()
        if let wait = await limiter.wait(now: now) {
            var response = try await signInForm(
                request, error: "Too many wrong tokens; try again in \(Int(wait.rounded(.up))) seconds.",
                status: .tooManyRequests)
            response.headers[.retryAfter] = String(Int(wait.rounded(.up)))
            return response
        }
        let presented = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let credential = try await credential(presented, now: now) else {
            await limiter.recordFailure(now: now)
            return try await signInForm(request, error: "invalid admin token or API key", status: .unauthorized)
        }
        let id = try await sessions.open(credential, now: now)
        var response = redirect(to: "/ui/endpoints")
        response.setCookie(sessionCookie(value: id, maxAge: nil))
        response.setCookie(
            Cookie(name: Self.signInCookie, value: "", maxAge: 0, path: prefix.isEmpty ? "/" : prefix, sameSite: .strict))
        return response
    }

    /// What `APIAuthMiddleware` accepts: the admin token, or a stored key, compared in constant time.
    func credential(_ presented: String, now: Date) async throws -> DashboardSession.Credential? {
        guard !presented.isEmpty, presented.utf8.count <= 1024 else { return nil }
        if HMACSignature.constantTimeEquals(Array(presented.utf8), adminToken) { return .adminToken }
        guard presented.hasPrefix(APIKey.prefix), let key = try await store.apiKey(hash: APIKey.hash(of: presented)),
            key.matches(presented)
        else { return nil }
        if key.needsTouch(now: now) { try? await store.touchAPIKey(id: key.id, at: now) }
        return .apiKey(hash: key.hash)
    }
}
