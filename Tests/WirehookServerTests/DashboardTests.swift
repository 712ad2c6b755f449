import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import WirehookCore
import WirehookServer

/// The dashboard over real HTTP, without a browser: sign-in, sessions, CSRF, scopes and headers.
/// (The browser test in Tests/Browser drives the pages themselves.)
@Suite(.timeLimit(.minutes(3)))
struct DashboardTests {
    /// A cookie-keeping client for the dashboard's forms.
    struct Visitor {
        let base: String
        var cookies: [String: String] = [:]

        /// Redirects are the answers under test, so this client does not follow them.
        static let http = HTTPClient(
            eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

        mutating func send(_ method: HTTPMethod, _ path: String, form: [(String, String)]? = nil) async throws
            -> APIClient.Reply
        {
            var request = HTTPClientRequest(url: base + path)
            request.method = method
            if !cookies.isEmpty {
                request.headers.add(name: "Cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
            }
            if let form {
                request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
                let text = form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
                    .joined(separator: "&")
                request.body = .bytes(ByteBuffer(string: text))
            }
            let response = try await Self.http.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 16 << 20)
            let reply = APIClient.Reply(
                status: Int(response.status.code), json: .null, headers: response.headers,
                body: Array(body.readableBytesView))
            for line in reply.headers["Set-Cookie"] {
                let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(pair[0])
                let value = pair.count > 1 ? String(pair[1]) : ""
                cookies[name] = value.isEmpty ? nil : value
            }
            return reply
        }

        mutating func get(_ path: String) async throws -> APIClient.Reply { try await send(.GET, path) }
        mutating func post(_ path: String, _ form: [(String, String)]) async throws -> APIClient.Reply {
            try await send(.POST, path, form: form)
        }

        /// The CSRF token in the page's forms.
        static func csrf(_ reply: APIClient.Reply) throws -> String {
            let html = reply.rawText
            guard let range = html.range(of: "name=\"csrf\" value=\"") else { throw TestFailure("no CSRF field in the page") }
            return String(html[range.upperBound...].prefix { $0 != "\"" })
        }

        /// Signs in with `token`; returns the answer to the sign-in post.
        mutating func signIn(_ token: String) async throws -> APIClient.Reply {
            let form = try await get("/ui/sign-in")
            return try await post("/ui/sign-in", [("csrf", try Self.csrf(form)), ("token", token)])
        }
    }

    static func setCookie(_ reply: APIClient.Reply, _ name: String) -> String? {
        reply.headers["Set-Cookie"].first { $0.hasPrefix(name + "=") }
    }

    @Test func signInTakesTheAdminTokenAndGivesAStrictHttpOnlySession() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        var visitor = Visitor(base: server.baseURL)

        let root = try await visitor.get("/")
        #expect(root.status == 303)
        #expect(root.headers.first(name: "Location") == "/ui/endpoints")
        let away = try await visitor.get("/ui/endpoints")
        #expect(away.status == 303)
        #expect(away.headers.first(name: "Location") == "/ui/sign-in")

        let form = try await visitor.get("/ui/sign-in")
        #expect(form.status == 200)
        let csp = try #require(form.headers.first(name: "Content-Security-Policy"))
        #expect(csp.contains("script-src 'self'"))
        #expect(!csp.contains("unsafe-inline"))
        #expect(form.headers.first(name: "X-Frame-Options") == "DENY")
        #expect(form.headers.first(name: "Referrer-Policy") == "no-referrer")

        let wrong = try await visitor.post("/ui/sign-in", [("csrf", try Visitor.csrf(form)), ("token", "nope")])
        #expect(wrong.status == 401)
        #expect(wrong.rawText.contains("invalid admin token or API key"))
        #expect(visitor.cookies["wirehook_session"] == nil)

        let right = try await visitor.signIn(TestServer.adminToken)
        #expect(right.status == 303)
        #expect(right.headers.first(name: "Location") == "/ui/endpoints")
        let cookie = try #require(Self.setCookie(right, "wirehook_session"))
        #expect(cookie.contains("HttpOnly"))
        #expect(cookie.contains("SameSite=Strict"))
        #expect(!cookie.contains("Secure"), "plain http without a public https URL")
        #expect(!cookie.contains(TestServer.adminToken))

        let page = try await visitor.get("/ui/endpoints")
        #expect(page.status == 200)
        #expect(page.rawText.contains("No endpoints yet"))
        #expect(page.headers.first(name: "Cache-Control") == "no-store")

        // Signing out ends the session on the server, not just in this client.
        let stolen = visitor.cookies
        let out = try await visitor.post("/ui/sign-out", [("csrf", try Visitor.csrf(page))])
        #expect(out.status == 303)
        var replay = Visitor(base: server.baseURL, cookies: stolen)
        #expect(try await replay.get("/ui/endpoints").status == 303)
    }

    @Test func wrongTokensAreRateLimited() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        var visitor = Visitor(base: server.baseURL)
        for _ in 0..<10 {
            #expect(try await visitor.signIn("wrong").status == 401)
        }
        let limited = try await visitor.signIn(TestServer.adminToken)
        #expect(limited.status == 429)
        #expect(limited.rawText.contains("Too many wrong tokens"))
        #expect(limited.headers.first(name: "Retry-After") != nil)
        #expect(Self.setCookie(limited, "wirehook_session") == nil)
    }

    @Test func aReadOnlyKeyGetsAReadOnlyDashboard() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let webhook = try await server.api.createWebhook(url: receiver.url, events: ["user.*"])
        let (keyID, key) = try await APIKeysTests.createKey(server.api, name: "viewer", scopes: ["webhooks:read"])

        var visitor = Visitor(base: server.baseURL)
        #expect(try await visitor.signIn(key).status == 303)
        let page = try await visitor.get("/ui/endpoints/\(webhook.id)")
        #expect(page.status == 200)
        #expect(page.rawText.contains(webhook.id))
        #expect(!page.rawText.contains("/disable\""), "no write actions for a read-only key")
        #expect(!page.rawText.contains(webhook.secret))

        // A hand-made post is refused with the API's own words, and changes nothing.
        let refused = try await visitor.post("/ui/endpoints/\(webhook.id)/disable", [("csrf", try Visitor.csrf(page))])
        #expect(refused.status == 303)
        let after = try await visitor.get("/ui/endpoints/\(webhook.id)")
        #expect(after.rawText.contains("this API key lacks the &#39;webhooks:write&#39; scope")
            || after.rawText.contains("this API key lacks the &#x27;webhooks:write&#x27; scope")
            || after.rawText.contains("this API key lacks the 'webhooks:write' scope"))
        #expect(try await server.api.get("/webhooks/\(webhook.id)")["webhook"]?["status"] == "active")
        let form = try await visitor.get("/ui/endpoints/new")
        #expect(form.status == 403)

        // Revoking the key ends the session at once.
        #expect(try await server.api.request(.DELETE, "/api-keys/\(keyID)").status == 200)
        #expect(try await visitor.get("/ui/endpoints").status == 303)
    }

    @Test func aFormWithoutTheSessionsTokenIsRefused() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let webhook = try await server.api.createWebhook(url: receiver.url)
        var visitor = Visitor(base: server.baseURL)
        #expect(try await visitor.signIn(TestServer.adminToken).status == 303)
        let forged = try await visitor.post("/ui/endpoints/\(webhook.id)/disable", [("csrf", "guessed")])
        #expect(forged.status == 403)
        let missing = try await visitor.post("/ui/endpoints/\(webhook.id)/disable", [])
        #expect(missing.status == 403)
        #expect(try await server.api.get("/webhooks/\(webhook.id)")["webhook"]?["status"] == "active")

        let page = try await visitor.get("/ui/endpoints/\(webhook.id)")
        let disabled = try await visitor.post("/ui/endpoints/\(webhook.id)/disable", [("csrf", try Visitor.csrf(page))])
        #expect(disabled.status == 303)
        #expect(try await server.api.get("/webhooks/\(webhook.id)")["webhook"]?["status"] == "disabled")
    }

    @Test func theFormShowsTheAPIsMessageBesideTheField() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        var visitor = Visitor(base: server.baseURL)
        #expect(try await visitor.signIn(TestServer.adminToken).status == 303)
        let form = try await visitor.get("/ui/endpoints/new")
        #expect(form.status == 200)
        #expect(form.rawText.contains("value=\"user.*\""), "the event picker lists the catalog's scopes")

        let api = try await server.api.post(
            "/webhooks", ["url": "ftp://example.com/hook", "events": ["user.*"], "format": "standard"])
        #expect(api.status == 422)
        let message = try #require(api["error"]?["message"]?.stringValue)

        let refused = try await visitor.post(
            "/ui/endpoints",
            [("csrf", try Visitor.csrf(form)), ("url", "ftp://example.com/hook"), ("events", "user.*"),
             ("format", "standard"), ("description", "x")])
        #expect(refused.status == 422)
        let escaped = message.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "'", with: "&#39;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
        let html = refused.rawText
        #expect(html.contains("id=\"url-error\""), "the error sits beside the URL field")
        #expect(html.contains(escaped) || html.contains(message), "the API's message: \(message)")
        #expect(try await server.api.get("/webhooks")["total"] == 0)

        let created = try await visitor.post(
            "/ui/endpoints",
            [("csrf", try Visitor.csrf(form)), ("url", "http://127.0.0.1:9/hook"), ("events", "user.*"),
             ("format", "standard"), ("description", "made in the form"), ("active", "on")])
        #expect(created.status == 200)
        #expect(created.rawText.contains("Endpoint created"))
        let list = try await server.api.get("/webhooks")
        #expect(list["total"] == 1)
        #expect(list["webhooks"]?.arrayValue?.first?["description"] == "made in the form")
        // The new secret is in the answer to the form, as in the API's 201, and masked afterwards.
        let id = try #require(list["webhooks"]?.arrayValue?.first?["id"]?.stringValue)
        let secret = try #require(try await server.api.post("/webhooks/\(id)/rotate-secret", [:])["webhook"]?["secret"]?.stringValue)
        #expect(!created.rawText.contains("whsec_***masked***"))
        #expect(try await visitor.get("/ui/endpoints/\(id)").rawText.contains("whsec_***masked***"))
        #expect(try await !visitor.get("/ui/endpoints/\(id)").rawText.contains(secret))
    }

    @Test func sessionsLiveInTheDatabaseAndEndWhenIdle() async throws {
        let clock = ManualClock(Date())
        let configuration = try TestServer.makeConfiguration()
        let first = try await TestServer.start(configuration, time: clock.source)
        var visitor = Visitor(base: first.baseURL)
        #expect(try await visitor.signIn(TestServer.adminToken).status == 303)
        let session = try #require(visitor.cookies["wirehook_session"])
        try await first.stop()

        // Another process on the same database knows the session.
        let second = try await TestServer.start(configuration, time: clock.source)
        defer { Task { try await second.stop() } }
        var again = Visitor(base: second.baseURL, cookies: ["wirehook_session": session])
        #expect(try await again.get("/ui/endpoints").status == 200)

        // Each request restarts the idle clock; 30 quiet minutes end the session.
        clock.advance(by: 29 * 60)
        #expect(try await again.get("/ui/endpoints").status == 200)
        clock.advance(by: 29 * 60)
        #expect(try await again.get("/ui/endpoints").status == 200)
        clock.advance(by: 31 * 60)
        let expired = try await again.get("/ui/endpoints")
        #expect(expired.status == 303)
        #expect(expired.headers.first(name: "Location") == "/ui/sign-in")
    }

    /// A clock the test moves by hand.
    final class ManualClock: @unchecked Sendable {
        private let lock = NSLock()
        private var now: Date

        init(_ start: Date) { now = start }

        func advance(by seconds: TimeInterval) { lock.withLock { now = now.addingTimeInterval(seconds) } }

        var source: TimeSource { TimeSource(now: { [self] in lock.withLock { now } }) }
    }

    @Test func theHistogramCountsAttemptsPerHour() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let webhook = try await server.api.createWebhook(url: receiver.url, events: ["user.*"])
        try await server.api.sendEvent("user.created")
        try await server.api.sendEvent("user.deleted")
        _ = try await server.api.waitForDeliveries(webhookID: webhook.id) { list in
            list.count == 2 && list.allSatisfy { $0["status"] == "success" }
        }
        let histogram = try await server.app.store.attemptHistogram(
            endpointID: webhook.id, now: Date(), width: .seconds(3600), count: 24)
        #expect(histogram.buckets.count == 24)
        #expect(histogram.buckets.reduce(0) { $0 + $1.successes } == 2)
        #expect(histogram.buckets.reduce(0) { $0 + $1.failures } == 0)
        #expect(histogram.buckets.last?.successes == 2 || histogram.buckets.suffix(2).reduce(0) { $0 + $1.successes } == 2)
        let other = try await server.app.store.attemptHistogram(
            endpointID: "wh_none", now: Date(), width: .seconds(86_400), count: 30)
        #expect(other.buckets.count == 30)
        #expect(other.buckets.allSatisfy { $0.successes == 0 && $0.failures == 0 })
    }

    @Test func behindAProxyLinksAndCookiesCarryThePublicPath() async throws {
        var configuration = try TestServer.makeConfiguration()
        configuration.publicURL = PublicURL("https://example.com/wirehook/")
        let server = try await TestServer.start(configuration)
        defer { Task { try await server.stop() } }
        var visitor = Visitor(base: server.baseURL)
        let away = try await visitor.get("/ui/endpoints")
        #expect(away.headers.first(name: "Location") == "/wirehook/ui/sign-in")
        let form = try await visitor.get("/ui/sign-in")
        #expect(form.rawText.contains("action=\"/wirehook/ui/sign-in\""))
        #expect(form.rawText.contains("href=\"/wirehook/assets/dashboard.css\""))
        let signed = try await visitor.post(
            "/ui/sign-in", [("csrf", try Visitor.csrf(form)), ("token", TestServer.adminToken)])
        let cookie = try #require(Self.setCookie(signed, "wirehook_session"))
        #expect(cookie.contains("Secure"))
        #expect(cookie.contains("Path=/wirehook"))
    }
}
