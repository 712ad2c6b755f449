import Foundation
import NIOHTTP1
import Testing
import WirehookCore
import WirehookServer

/// Scoped API keys: shown once, stored as a hash, revocable, and every route demands its scope.
@Suite(.timeLimit(.minutes(3)))
struct APIKeysTests {
    /// Creates a key with the admin token and returns its id and secret.
    static func createKey(_ api: APIClient, name: String, scopes: [String]) async throws -> (id: String, key: String) {
        let reply = try await api.post("/api-keys", ["name": .string(name), "scopes": .array(scopes.map { .string($0) })])
        guard reply.status == 201, let id = reply["api_key"]?["id"]?.stringValue,
            let key = reply["api_key"]?["key"]?.stringValue
        else { throw TestFailure("create key failed: \(reply.status) \(reply.rawText)") }
        return (id, key)
    }

    @Test func aKeyIsShownOnceListedWithoutItAndRevocable() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let api = server.api

        let created = try await api.post("/api-keys", ["name": "billing", "scopes": ["events:write"]])
        #expect(created.status == 201)
        let id = try #require(created["api_key"]?["id"]?.stringValue)
        let key = try #require(created["api_key"]?["key"]?.stringValue)
        #expect(key.hasPrefix("whk_"))
        #expect(key.count >= 4 + 43, "32 random bytes, base64url")
        #expect(created["api_key"]?["scopes"] == ["events:write"])
        #expect(created["api_key"]?["last_used_at"] == .null)

        let keyed = APIClient(baseURL: server.baseURL, token: key)
        #expect(try await keyed.post("/events", ["type": "user.created", "data": [:]]).status == 202)

        let list = try await api.get("/api-keys")
        #expect(list.status == 200)
        #expect(list["total"] == 1)
        let listed = try #require(list["api_keys"]?.arrayValue?.first)
        #expect(listed["id"] == .string(id))
        #expect(listed["name"] == "billing")
        #expect(listed["key"] == nil)
        #expect(listed["last_used_at"] != .null, "use is recorded")
        #expect(!list.rawText.contains(key), "the list never shows the key")
        #expect(!list.rawText.contains(APIKey.hash(of: key)), "nor its hash")

        // A key that differs in its last character is a different, unknown key.
        let altered = String(key.dropLast()) + (key.last == "A" ? "B" : "A")
        let wrong = try await APIClient(baseURL: server.baseURL, token: altered).post(
            "/events", ["type": "user.created", "data": [:]])
        #expect(wrong.status == 401)
        #expect(wrong.errorCode == "unauthorized")

        let revoked = try await api.request(.DELETE, "/api-keys/\(id)")
        #expect(revoked.status == 200)
        let after = try await keyed.post("/events", ["type": "user.created", "data": [:]])
        #expect(after.status == 401, "a revoked key is unknown")
        #expect(after.errorCode == "unauthorized")
        #expect(try await api.request(.DELETE, "/api-keys/\(id)").status == 404)
        #expect(try await api.get("/api-keys")["total"] == 0)
    }

    @Test func createRefusesBadInput() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let api = server.api
        for body: JSONValue in [
            ["name": "x", "scopes": ["events:read"]], ["name": "x", "scopes": []], ["name": "x"],
            ["scopes": ["admin"]], ["name": "", "scopes": ["admin"]], ["name": "x", "scopes": "admin"],
        ] {
            let reply = try await api.post("/api-keys", body)
            #expect(reply.status == 422, "\(JSONWriter.string(body))")
            #expect(reply.errorCode == "invalid_field")
        }
        #expect(try await api.get("/api-keys")["total"] == 0)
    }

    @Test func theKeyIsStoredOnlyAsAHash() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let (_, key) = try await Self.createKey(server.api, name: "panel", scopes: ["webhooks:read"])
        let stored = try await server.app.store.apiKeys()
        #expect(stored.count == 1)
        #expect(stored.first?.hash == APIKey.hash(of: key))
        #expect(stored.first?.hash != key)
        if TestDatabase.baseURL == nil {
            // The SQLite file (and its WAL) hold the hash, never the key.
            let directory = server.dataDirectory
            var bytes: [UInt8] = []
            for name in ["wirehook.sqlite", "wirehook.sqlite-wal"] {
                if let data = FileManager.default.contents(atPath: directory + "/" + name) { bytes += data }
            }
            #expect(!bytes.isEmpty)
            let hashSeen = Self.contains(bytes, Array(APIKey.hash(of: key).utf8))
            let keySeen = Self.contains(bytes, Array(key.utf8))
            #expect(hashSeen, "the check can see what is stored")
            #expect(!keySeen, "the key itself is in the database file")
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in
            haystack[start] == needle[0] && Array(haystack[start..<start + needle.count]) == needle
        }
    }

    struct Route {
        var method: HTTPMethod
        var path: String
        var body: JSONValue?
        /// nil: any valid key.
        var scope: String?
    }

    @Test func everyRouteDemandsItsScope() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let admin = server.api

        let webhook = try await admin.createWebhook(url: receiver.url)
        let doomed = try await admin.createWebhook(url: receiver.url)
        let sent = try await admin.sendEvent("user.created")
        let eventID = try #require(sent["event"]?["id"]?.stringValue)
        let deliveries = try await admin.waitForDeliveries(webhookID: webhook.id) { $0.first?["status"] == "success" }
        let deliveryID = try #require(deliveries.first?["id"]?.stringValue)
        let victimKey = try await Self.createKey(admin, name: "victim", scopes: ["events:write"])

        let scopes = ["events:write", "webhooks:read", "webhooks:write", "admin"]
        var keys: [String: String] = [:]
        for scope in scopes { keys[scope] = try await Self.createKey(admin, name: scope, scopes: [scope]).key }

        let since = Timestamp.iso8601(Date().addingTimeInterval(-3600))
        // Order matters only for the successful calls: the deletes come last.
        let routes: [Route] = [
            Route(method: .POST, path: "/events", body: ["type": "user.created", "data": [:]], scope: "events:write"),
            Route(method: .GET, path: "/event-types", scope: nil),
            Route(method: .GET, path: "/webhooks", scope: "webhooks:read"),
            Route(method: .GET, path: "/webhooks/\(webhook.id)", scope: "webhooks:read"),
            Route(method: .GET, path: "/webhooks/\(webhook.id)/stats", scope: "webhooks:read"),
            Route(method: .GET, path: "/webhooks/\(webhook.id)/deliveries", scope: "webhooks:read"),
            Route(method: .GET, path: "/webhooks/\(webhook.id)/deliveries/\(deliveryID)", scope: "webhooks:read"),
            Route(
                method: .POST, path: "/webhooks", body: ["url": .string(receiver.url), "events": ["*"]],
                scope: "webhooks:write"),
            Route(method: .PUT, path: "/webhooks/\(webhook.id)", body: ["description": "put"], scope: "webhooks:write"),
            Route(method: .PATCH, path: "/webhooks/\(webhook.id)", body: ["description": "patch"], scope: "webhooks:write"),
            Route(method: .POST, path: "/webhooks/\(webhook.id)/test", body: [:], scope: "webhooks:write"),
            Route(
                method: .POST, path: "/webhooks/\(webhook.id)/deliveries/\(deliveryID)/retry", body: [:],
                scope: "webhooks:write"),
            Route(method: .POST, path: "/webhooks/\(webhook.id)/recover", body: ["since": .string(since)], scope: "webhooks:write"),
            Route(method: .POST, path: "/webhooks/\(webhook.id)/rotate-secret", body: [:], scope: "webhooks:write"),
            Route(method: .POST, path: "/events/\(eventID)/redeliver", body: [:], scope: "webhooks:write"),
            Route(method: .GET, path: "/api-keys", scope: "admin"),
            Route(method: .POST, path: "/api-keys", body: ["name": "made", "scopes": ["events:write"]], scope: "admin"),
            Route(method: .DELETE, path: "/api-keys/\(victimKey.id)", scope: "admin"),
            Route(method: .DELETE, path: "/webhooks/\(doomed.id)", scope: "webhooks:write"),
        ]
        for route in routes {
            let label = "\(route.method) \(route.path)"
            let anonymous = try await admin.request(route.method, route.path, json: route.body, token: .some(nil))
            #expect(anonymous.status == 401, "\(label) without a key")
            #expect(anonymous.errorCode == "unauthorized", "\(label)")

            for scope in scopes where scope != route.scope && scope != "admin" && route.scope != nil {
                let reply = try await admin.request(route.method, route.path, json: route.body, token: keys[scope])
                #expect(reply.status == 403, "\(label) with a \(scope) key")
                #expect(reply.errorCode == "forbidden", "\(label)")
                #expect(
                    reply.json["error"]?["message"]?.stringValue?.contains(route.scope ?? "") == true,
                    "\(label): the error names the missing scope")
            }
            // The route's own scope, and for any-key routes every scope.
            let allowed = route.scope.map { [$0] } ?? scopes
            for scope in allowed {
                let reply = try await admin.request(route.method, route.path, json: route.body, token: keys[scope])
                #expect((200..<300).contains(reply.status), "\(label) with a \(scope) key: \(reply.status) \(reply.rawText)")
            }
        }
        // An admin key holds every scope, like the admin token.
        let adminKey = APIClient(baseURL: server.baseURL, token: keys["admin"])
        #expect(try await adminKey.get("/webhooks").status == 200)
        #expect(try await adminKey.post("/events", ["type": "user.created", "data": [:]]).status == 202)
        #expect(try await adminKey.post("/api-keys", ["name": "by-key", "scopes": ["webhooks:read"]]).status == 201)
        // Public routes stay public.
        let anonymous = APIClient(baseURL: server.baseURL, token: nil)
        #expect(try await anonymous.get("/health").status == 200)
    }

    @Test func anEventsKeyCannotSeeSecrets() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let created = try await server.api.createWebhook(url: "https://example.com/hook")
        let (_, key) = try await Self.createKey(server.api, name: "panel", scopes: ["events:write"])
        let panel = APIClient(baseURL: server.baseURL, token: key)
        for (method, path) in [
            (HTTPMethod.GET, "/webhooks"), (.GET, "/webhooks/\(created.id)"), (.POST, "/webhooks"),
            (.POST, "/webhooks/\(created.id)/rotate-secret"), (.GET, "/api-keys"),
        ] {
            let reply = try await panel.request(method, path, json: method == .GET ? nil : ["url": "https://x.test/h", "events": ["*"]])
            #expect(reply.status == 403, "\(method) \(path)")
            #expect(!reply.rawText.contains(created.secret))
        }
        #expect(try await server.api.get("/webhooks")["total"] == 1, "the refused create added nothing")
    }

    @Test func metricsNeedTheAdminScope() async throws {
        var environment: [String: String] = [:]
        if let url = try TestDatabase.makeIfEnabled() { environment["WIREHOOK_DATABASE_URL"] = url }
        let server = try await ServerProcess.start(dataDirectory: TemporaryDirectory.make(), environment: environment)
        defer { _ = Task { await server.terminate() } }
        let reader = try await Self.createKey(server.api, name: "reader", scopes: ["webhooks:read", "webhooks:write"])
        let admin = try await Self.createKey(server.api, name: "ops", scopes: ["admin"])
        let refused = try await APIClient(baseURL: server.baseURL, token: reader.key).get("/metrics")
        #expect(refused.status == 403)
        #expect(refused.errorCode == "forbidden")
        #expect(try await APIClient(baseURL: server.baseURL, token: admin.key).get("/metrics").status == 200)
        #expect(try await APIClient(baseURL: server.baseURL, token: nil).get("/metrics").status == 401)
    }
}
