import Foundation
import NIOHTTP1
import Testing
import WirehookCore

/// Every management route and its errors, against the real server.
@Suite(.timeLimit(.minutes(2)))
struct WebhooksAPITests {
    @Test func createListShowUpdateDelete() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let api = server.api

        let created = try await api.post(
            "/webhooks",
            [
                "url": "https://api.example.com/hooks/vpn", "events": ["user.created", "vpn.*"],
                "description": "Production", "active": true,
            ])
        #expect(created.status == 201)
        #expect(created["success"] == true)
        let webhook = try #require(created["webhook"])
        let id = try #require(webhook["id"]?.stringValue)
        #expect(id.hasPrefix("wh_"))
        #expect(webhook["status"] == "active")
        #expect(webhook["format"] == "standard")
        let secret = try #require(webhook["secret"]?.stringValue)
        #expect(secret.hasPrefix("whsec_") && secret != "whsec_***masked***")
        #expect(webhook["delivery_stats"]?["total_deliveries"] == 0)
        for key in ["created_at", "updated_at", "last_delivery", "description", "events", "url"] {
            #expect(webhook[key] != nil, "missing \(key)")
        }

        let list = try await api.get("/webhooks")
        #expect(list.status == 200)
        #expect(list["total"] == 1)
        #expect(list["webhooks"]?.arrayValue?.first?["secret"] == "whsec_***masked***")

        let shown = try await api.get("/webhooks/\(id)")
        #expect(shown["webhook"]?["secret"] == "whsec_***masked***")
        #expect(shown["webhook"]?["delivery_stats"]?["average_response_time_ms"] == .null)

        let updated = try await api.request(.PUT, "/webhooks/\(id)", json: ["active": false, "events": ["user.*"]])
        #expect(updated.status == 200)
        #expect(updated["webhook"]?["status"] == "disabled")
        #expect(updated["webhook"]?["events"] == ["user.*"])
        #expect(updated["webhook"]?["url"] == "https://api.example.com/hooks/vpn", "partial update keeps other fields")
        #expect(updated["webhook"]?["description"] == "Production")
        #expect(updated["webhook"]?["secret"] == "whsec_***masked***")

        let deleted = try await api.request(.DELETE, "/webhooks/\(id)")
        #expect(deleted.status == 200)
        #expect(deleted.json == ["success": true, "message": "Webhook deleted successfully", "webhook_id": .string(id)])
        #expect(try await api.get("/webhooks/\(id)").status == 404)
        #expect(try await api.get("/webhooks")["total"] == 0)
    }

    @Test func brokenFramingAndOversizedDeclarationsGetClearAnswers() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let port = try #require(URL(string: server.baseURL)?.port)
        let auth = "Authorization: Bearer \(TestServer.adminToken)\r\n"
        // A length far over the limit is refused at once, without waiting for the body.
        let huge = try await RawHTTP.statusLine(
            port: port,
            request: "POST /events HTTP/1.1\r\nHost: x\r\n\(auth)Content-Type: application/json\r\nContent-Length: 10737418240\r\n\r\n{")
        #expect(huge.contains(" 413 "), "\(huge)")
        // A chunk size that is not hex is the client's fault, not a 500.
        let chunked = try await RawHTTP.statusLine(
            port: port,
            request: "POST /events HTTP/1.1\r\nHost: x\r\n\(auth)Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
        #expect(chunked.contains(" 400 "), "\(chunked)")
        #expect(try await server.api.get("/health").status == 200, "still serving")
    }

    @Test(.enabled(if: TestDatabase.baseURL != nil))
    func aLostDatabaseIsReportedAndNothingIsAcknowledged() async throws {
        var configuration = try TestServer.makeConfiguration()
        configuration.ingestTimeout = .seconds(3)
        let server = try await TestServer.start(configuration)
        defer { Task { try await server.stop() } }
        #expect(try await server.api.get("/health").status == 200)
        let databaseURL = try #require(configuration.databaseURL)
        let name = String(databaseURL[databaseURL.index(after: databaseURL.lastIndex(of: "/")!)...])
        try TestDatabase.psql(try #require(TestDatabase.baseURL), "DROP DATABASE \(name) WITH (FORCE)")
        let health = try await server.api.get("/health")
        #expect(health.status == 503)
        #expect(health["database"] == "unreachable")
        let event = try await server.api.post("/events", ["type": "user.created", "data": [:]])
        #expect(event.status == 503)
        #expect(event.errorCode == "unavailable")
    }

    @Test(.enabled(if: TestDatabase.baseURL != nil))
    func workerProcessesAnswerOnlyHealth() async throws {
        var configuration = try TestServer.makeConfiguration()
        configuration.role = .worker
        let server = try await TestServer.start(configuration)
        defer { Task { try await server.stop() } }
        let health = try await server.api.get("/health")
        #expect(health.status == 200)
        #expect(health["role"] == "worker")
        #expect(try await server.api.get("/webhooks").status == 404)
        #expect(try await server.api.post("/events", ["type": "user.created", "data": [:]]).status == 404)
    }

    @Test func authIsRequiredEverywhereButHealth() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let anonymous = APIClient(baseURL: server.baseURL, token: nil)
        for (method, path) in [(HTTPMethod.GET, "/webhooks"), (.POST, "/events"), (.GET, "/webhooks/wh_x/deliveries")] {
            let reply = try await anonymous.request(method, path, json: [:])
            #expect(reply.status == 401)
            #expect(reply["success"] == false)
            #expect(reply.errorCode == "unauthorized")
        }
        let wrong = APIClient(baseURL: server.baseURL, token: TestServer.adminToken + "x")
        #expect(try await wrong.get("/webhooks").status == 401)
        let short = APIClient(baseURL: server.baseURL, token: String(TestServer.adminToken.dropLast()))
        #expect(try await short.get("/webhooks").status == 401)
        let health = try await anonymous.get("/health")
        #expect(health.status == 200)
        #expect(health["database"] == "ok")
    }

    @Test func badInputGetsClearErrors() async throws {
        var configuration = try TestServer.makeConfiguration()
        configuration.bodyLimit = 4096
        let server = try await TestServer.start(configuration)
        defer { Task { try await server.stop() } }
        let api = server.api

        let malformed = try await api.request(.POST, "/webhooks", raw: Array("{\"url\":".utf8))
        #expect(malformed.status == 400)
        #expect(malformed.errorCode == "malformed_json")

        let tooLarge = try await api.request(.POST, "/events", raw: Array(repeating: UInt8(ascii: " "), count: 5000))
        #expect(tooLarge.status == 413)
        #expect(tooLarge.errorCode == "payload_too_large")

        let invalid: [JSONValue] = [
            ["url": "ftp://example.com", "events": ["*"]],
            ["url": "http://example.com:99999/", "events": ["*"]],
            ["url": "https://example.com:/", "events": ["*"]],
            ["url": "/relative", "events": ["*"]],
            ["url": "https://example.com", "events": []],
            ["url": "https://example.com", "events": ["user..created"]],
            ["url": "https://example.com", "events": "user.created"],
            ["url": "https://example.com", "events": [1]],
            ["url": "https://example.com", "events": ["*"], "format": "carrier-pigeon"],
            ["url": "https://example.com", "events": ["*"], "secret": "short"],
            ["events": ["*"]],
            ["url": "https://example.com", "events": ["*"], "active": "yes"],
            ["url": "https://user:pw@example.com", "events": ["*"]],
            ["url": "https://example.com", "events": ["*"], "options": ["timeout_seconds": "x"]],
            ["url": "https://example.com", "events": ["*"], "options": ["timeout_seconds": .number("1e300")]],
            ["url": "https://example.com", "events": ["*"], "status": "disabled", "active": true],
            [
                "url": "https://api.telegram.org", "events": ["*"], "format": "telegram",
                "secret": "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678", "options": ["chat_id": "@x y<b>"],
            ],
            "not an object",
        ]
        for body in invalid {
            let reply = try await api.post("/webhooks", body)
            #expect(reply.status == 422, "\(JSONWriter.string(body))")
            #expect(reply.errorCode == "invalid_field")
            #expect(reply.json["error"]?["message"]?.stringValue?.isEmpty == false)
        }

        for body: JSONValue in [["data": [:]], ["type": "bad type!"], ["type": "a.b", "occurred_at": "noon"], ["type": "a.b", "id": ""]] {
            let reply = try await api.post("/events", body)
            #expect(reply.status == 422, "\(JSONWriter.string(body))")
        }

        #expect(try await api.get("/webhooks/wh_missing").status == 404)
        #expect(try await api.request(.PUT, "/webhooks/wh_missing", json: ["active": true]).status == 404)
        #expect(try await api.request(.DELETE, "/webhooks/wh_missing").status == 404)
        #expect(try await api.get("/webhooks/wh_missing/deliveries").status == 404)
        #expect(try await api.post("/webhooks/wh_missing/test", [:]).status == 404)
        let unknownRoute = try await api.get("/nothing-here")
        #expect(unknownRoute.status == 404)
        #expect(unknownRoute.errorCode == "not_found")

        let (id, _) = try await api.createWebhook(url: "https://example.com/h")
        #expect(try await api.get("/webhooks/\(id)/deliveries?limit=0").status == 422)
        #expect(try await api.get("/webhooks/\(id)/deliveries?cursor=zzz").status == 422)
        #expect(try await api.get("/webhooks/\(id)/deliveries?status=lost").status == 422)
        #expect(try await api.get("/webhooks/\(id)/deliveries/del_nope").status == 404)
        #expect(try await api.request(.PUT, "/webhooks/\(id)", json: ["url": "nope"]).status == 422)
        // Nothing above changed the webhook.
        #expect(try await api.get("/webhooks/\(id)")["webhook"]?["url"] == "https://example.com/h")
    }

    @Test func deliveriesArePagedNewestFirstAndFilterable() async throws {
        let receiver = try await TestReceiver.start { _, request in
            TestReceiver.Reply(status: request.json?["data"]?["fail"] == true ? 500 : 200)
        }
        defer { receiver.stop() }
        let server = try await TestServer.start(try TestServer.makeConfiguration(retry: "100ms"))
        defer { Task { try await server.stop() } }
        let api = server.api
        let (id, _) = try await api.createWebhook(url: receiver.url)
        for i in 0..<7 {
            try await api.sendEvent("user.created", data: ["i": .int(i), "fail": .bool(i == 3)])
        }
        _ = try await api.waitForDeliveries(webhookID: id) { list in
            list.count == 7 && list.allSatisfy { $0["status"] != "pending" }
        }
        var seen: [Int] = []
        var cursor: String? = nil
        repeat {
            let path = "/webhooks/\(id)/deliveries?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
            let page = try await api.get(path)
            #expect(page["total"] == 7)
            seen += page["deliveries"]?.arrayValue?.compactMap { $0["event_data"]?["i"]?.intValue } ?? []
            cursor = page["next_cursor"]?.stringValue
            #expect(page["has_more"] == .bool(cursor != nil))
        } while cursor != nil
        #expect(seen == [6, 5, 4, 3, 2, 1, 0])

        let failed = try await api.get("/webhooks/\(id)/deliveries?status=failed")
        #expect(failed["total"] == 1)
        let failedDelivery = try #require(failed["deliveries"]?.arrayValue?.first)
        #expect(failedDelivery["attempts"] == 2)
        #expect(failedDelivery["response_status"] == 500)
        #expect(failedDelivery["event_data"]?["i"] == 3)

        let detail = try await api.get("/webhooks/\(id)/deliveries/\(failedDelivery["id"]?.stringValue ?? "")")
        let attempts = try #require(detail["delivery"]?["attempt_log"]?.arrayValue)
        #expect(attempts.count == 2)
        #expect(attempts.allSatisfy { $0["response_status"] == 500 && $0["response_body"] == "ok" })
        #expect(attempts.allSatisfy { $0["error"]?.stringValue == "HTTP 500" && $0["response_time_ms"]?.intValue != nil })

        let stats = try await api.get("/webhooks/\(id)")["webhook"]?["delivery_stats"]
        #expect(stats?["total_deliveries"] == 7)
        #expect(stats?["successful_deliveries"] == 6)
        #expect(stats?["failed_deliveries"] == 1)
        #expect(stats?["last_30_days"] == 7)
        #expect(stats?["last_successful_delivery"]?.stringValue != nil)
        #expect(stats?["last_failed_delivery"]?.stringValue != nil)
        #expect(stats?["average_response_time_ms"]?.intValue != nil)
    }

    @Test func testRouteSendsASignedLoggedDeliveryToThatEndpointOnly() async throws {
        let receiver = try await TestReceiver.start()
        let other = try await TestReceiver.start()
        defer { receiver.stop(); other.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let api = server.api
        let (id, secret) = try await api.createWebhook(url: receiver.url, events: ["billing.*"])
        _ = try await api.createWebhook(url: other.url, events: ["*"])

        let reply = try await api.post(
            "/webhooks/\(id)/test", ["event_type": "webhook.test", "custom_data": ["test": true, "who": "admin"]])
        #expect(reply.status == 200)
        #expect(reply["delivery"]?["status"] == "success")
        #expect(reply["delivery"]?["response_status"] == 200)
        let got = try await receiver.waitFor(count: 1)
        #expect(got[0].json?["type"] == "webhook.test")
        #expect(got[0].json?["data"] == ["test": true, "who": "admin"])
        try WebhookVerifierCheck.standard(got[0], secret: secret)
        try await Task.sleep(for: .milliseconds(300))
        #expect(other.count == 0)
        let log = try await api.get("/webhooks/\(id)/deliveries")
        #expect(log["total"] == 1)
        #expect(log["deliveries"]?.arrayValue?.first?["event_type"] == "webhook.test")
    }
}
