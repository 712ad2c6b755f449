import Foundation
import Testing
import WirehookCore
import WirehookTestSupport
import WirehookVerify

/// A panel's own webhook bytes in through `/ingest/<panel>`, out to a real receiver in another
/// panel's dialect: every field that panel's bots read, checked against the target model's schema
/// (and, for Remnawave, the official Python SDK's typed parse).
@Suite(.timeLimit(.minutes(3)))
struct TranslationDeliveryTests {
    static let schemas = SchemaValidator.fixtures
    /// The fixtures' timestamps are fixed (January 2026); the replay window is widened to reach them.
    static let fixtureAge: Duration = .seconds(20 * 365 * 86_400)

    /// A Remnawave 3.x user as the panel sends it (`GetFullUserResponseModel` order, no `uuid`).
    static func remnawaveUser(status: String, threshold: Int) -> String {
        #"{"id":1024,"shortUuid":"aBcDeFgHjKmNpQrS","username":"ivan_петров","status":"\#(status)","trafficLimitBytes":107374182400,"trafficLimitStrategy":"MONTH_ROLLING","expireAt":"2026-02-15T10:00:00.000Z","telegramId":123456789,"email":"ivan@example.com","description":"VIP","tag":null,"hwidDeviceLimit":3,"externalSquadUuid":null,"trojanPassword":"tr0janPa55","vlessUuid":"1b2c3d4e-5f60-4718-893a-4b5c6d7e8f90","ssPassword":"ssPa55","lastTriggeredThreshold":\#(threshold),"subRevokedAt":null,"lastTrafficResetAt":null,"createdAt":"2026-01-01T12:00:00.000Z","updatedAt":"2026-01-15T10:00:00.000Z","subscriptionUrl":"https://sub.example.com/aBcDeFgHjKmNpQrS","activeInternalSquads":[],"userTraffic":{"usedTrafficBytes":92341796864,"lifetimeUsedTrafficBytes":200000000000,"onlineAt":"2026-01-15T09:55:00.000Z","lastConnectedNodeUuid":null,"firstConnectedAt":null}}"#
    }

    static func ingestRemnawave(_ server: TestServer, _ text: String) async throws {
        let raw = Array(text.utf8)
        let reply = try await APIClient(baseURL: server.baseURL, token: nil).request(
            .POST, "/ingest/remnawave", raw: raw,
            headers: [("X-Remnawave-Signature", HMACSignature.hex(secret: PanelIngestTests.remnawaveSecret, message: raw))])
        #expect(reply.status == 200, "\(reply.rawText)")
    }

    static func marzbanEndpoint(_ server: TestServer, url: String, options: JSONValue = [:]) async throws -> String {
        var all: JSONValue = ["batch_interval_seconds": 1]
        for member in options.objectMembers ?? [] { all = all.setting(member.key, to: member.value) }
        let reply = try await server.api.post(
            "/webhooks",
            ["url": .string(url), "events": ["user.*"], "format": "marzban", "secret": "something-very-very-secret", "options": all])
        #expect(reply.status == 201, "\(reply.rawText)")
        return reply["webhook"]?["id"]?.stringValue ?? ""
    }

    /// Every element of every Marzban request, once `count` have arrived.
    static func marzbanElements(_ receiver: TestReceiver, count: Int) async throws -> [JSONValue] {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            let elements = receiver.received.flatMap { $0.json?.arrayValue ?? [] }
            if elements.count >= count { return elements }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("only \(receiver.received.count) Marzban requests arrived")
    }

    static func expectConforms(_ value: JSONValue, _ schema: String, _ what: String) throws {
        let problems = try schemas.problems(value, against: schema)
        #expect(problems.isEmpty, "\(what) against \(schema): \(problems.joined(separator: "; "))")
    }

    @Test func remnawaveEventsReachMarzbanBotsWithEveryFieldTheyRead() async throws {
        let marzban = try await TestReceiver.start()
        let standard = try await TestReceiver.start()
        defer { marzban.stop(); standard.stop() }
        let server = try await PanelIngestTests.start(replayTolerance: Self.fixtureAge)
        defer { Task { try await server.stop() } }
        _ = try await Self.marzbanEndpoint(server, url: marzban.url, options: ["marzban_admin": "panel-admin"])
        _ = try await server.api.createWebhook(url: standard.url, events: ["user.*"])

        let threshold = Self.remnawaveUser(status: "ACTIVE", threshold: 80)
        let bodies = [
            #"{"scope":"user","event":"user.bandwidth_usage_threshold_reached","timestamp":"2026-01-15T10:00:00.000Z","data":\#(threshold)}"#,
            #"{"scope":"user","event":"user.expiration","timestamp":"2026-02-12T10:00:00.000Z","data":\#(Self.remnawaveUser(status: "ACTIVE", threshold: 80)),"meta":{"expiration":-72}}"#,
            #"{"scope":"user","event":"user.disabled","timestamp":"2026-01-15T10:05:00.000Z","data":\#(Self.remnawaveUser(status: "DISABLED", threshold: 0))}"#,
            // After expiry: Marzban has no such notification; skipped, not sent.
            #"{"scope":"user","event":"user.expiration","timestamp":"2026-02-16T10:00:00.000Z","data":\#(Self.remnawaveUser(status: "EXPIRED", threshold: 0)),"meta":{"expiration":24}}"#,
        ]
        for body in bodies { try await Self.ingestRemnawave(server, body) }

        let elements = try await Self.marzbanElements(marzban, count: 3)
        #expect(elements.count == 3)
        for element in elements {
            try Self.expectConforms(element, "marzban-notification.json", "\(element["action"] ?? .null)")
            #expect(element.objectMembers?.prefix(5).map(\.key) == ["enqueued_at", "send_at", "tries", "username", "action"])
            #expect(element["username"] == "ivan_петров")
            let user = try #require(element["user"])
            // What the PHP, Cloudflare-worker and PasarGuard bots read.
            #expect(user["expire"] == .int(1_771_149_600), "2026-02-15T10:00:00Z in Unix seconds")
            #expect(user["data_limit"] == .int(107_374_182_400))
            #expect(user["used_traffic"] == .int(92_341_796_864))
            #expect(user["data_limit_reset_strategy"] == "month")
            #expect(user["admin"]?["username"] == "panel-admin")
            #expect(user["subscription_url"] == "https://sub.example.com/aBcDeFgHjKmNpQrS")
            #expect(user["proxies"]?["vless"]?["id"] == "1b2c3d4e-5f60-4718-893a-4b5c6d7e8f90")
            #expect(user["note"] == "VIP")
            #expect(user["shortUuid"] == nil && user["userTraffic"] == nil, "no Remnawave field under Marzban's name")
        }
        let usage = try #require(elements.first { $0["action"] == "reached_usage_percent" })
        // Marzban's own formula: used × 100 ÷ limit (92341796864 × 100 ÷ 107374182400 = 86.0).
        #expect(usage["used_percent"]?.doubleValue == 92_341_796_864.0 * 100 / 107_374_182_400.0)
        #expect(usage["user"]?["status"] == "active")
        #expect(usage["by"] == nil, "ReachedUsagePercent has no by")
        let days = try #require(elements.first { $0["action"] == "reached_days_left" })
        #expect(days["days_left"] == 3, "-72 hours is 3 days left")
        let disabled = try #require(elements.first { $0["action"] == "user_disabled" })
        #expect(disabled["user"]?["status"] == "disabled")
        #expect(disabled["by"]?["username"] == "panel-admin")
        #expect(disabled["by"]?["is_sudo"] == false)
        #expect(disabled.objectMembers?.map(\.key).contains("reason") == true)
        #expect(marzban.received.allSatisfy { String(decoding: $0.body, as: UTF8.self).contains(#""username": "ivan_\u043f"#) })

        // Standard gets the panel's data unchanged, all four events.
        let plain = try await standard.waitFor(count: 4)
        let data = try JSONParser.parse(Array(threshold.utf8))
        #expect(plain.contains { $0.json?["type"] == "user.bandwidth_usage_threshold_reached" && $0.json?["data"] == data })
    }

    @Test func marzbanNotificationsReachRemnawaveReceiversAndTheSDKParsesThem() async throws {
        let remnawave = try await TestReceiver.start()
        let standard = try await TestReceiver.start()
        defer { remnawave.stop(); standard.stop() }
        let server = try await PanelIngestTests.start(replayTolerance: Self.fixtureAge)
        defer { Task { try await server.stop() } }
        _ = try await server.api.createWebhook(
            url: remnawave.url, events: ["user.*"], format: "remnawave", secret: PanelIngestTests.remnawaveSecret)
        _ = try await server.api.createWebhook(url: standard.url, events: ["user.*"])

        let user = #"{"proxies": {"vless": {"id": "35e4e39c-7d5c-4f4b-8b71-558e4f37ff53", "flow": ""}, "trojan": {"password": "Tr0jan", "flow": ""}}, "expire": 1771149600, "data_limit": 10737418240, "data_limit_reset_strategy": "year", "inbounds": {}, "note": "\u0431\u043e\u0442", "sub_updated_at": null, "sub_last_user_agent": null, "online_at": "2026-01-15T09:55:00.123456", "on_hold_expire_duration": null, "on_hold_timeout": null, "auto_delete_in_days": null, "next_plan": null, "username": "alice", "status": "on_hold", "used_traffic": 9313225746, "lifetime_used_traffic": 20000000000, "created_at": "2026-01-01T00:00:00", "links": [], "subscription_url": "/sub/YWxpY2UsMTc2ODQ3MTIwMA.2f6c1a0b9e", "excluded_inbounds": {}, "admin": {"username": "admin", "is_sudo": true, "telegram_id": null, "discord_webhook": null, "users_usage": null}}"#
        let by = #"{"username": "admin", "is_sudo": true, "telegram_id": null, "discord_webhook": null, "users_usage": null}"#
        let raw = Array(
            #"[{"enqueued_at": 1768471200.5, "send_at": 1768471200.5, "tries": 0, "username": "alice", "action": "user_updated", "by": \#(by), "user": \#(user)}, {"enqueued_at": 1768471201.0, "send_at": 1768471201.0, "tries": 0, "username": "alice", "action": "reached_days_left", "user": \#(user), "days_left": 0}, {"enqueued_at": 1768471202.0, "send_at": 1768471202.0, "tries": 0, "username": "alice", "action": "reached_usage_percent", "user": \#(user), "used_percent": 86.73617}, {"enqueued_at": 1768471203.0, "send_at": 1768471203.0, "tries": 0, "username": "alice", "action": "user_deleted", "by": \#(by)}]"#.utf8)
        let reply = try await APIClient(baseURL: server.baseURL, token: nil).request(
            .POST, "/ingest/marzban", raw: raw, headers: [("x-webhook-secret", PanelIngestTests.marzbanSecret)])
        #expect(reply.status == 200, "\(reply.rawText)")

        let got = try await remnawave.waitFor(count: 4)
        for delivery in got {
            let body = try #require(delivery.json)
            try Self.expectConforms(body, "remnawave-webhook.json", "\(body["event"] ?? .null) envelope")
            try Self.expectConforms(try #require(body["data"]), "remnawave-user.json", "\(body["event"] ?? .null) data")
            try WebhookVerifier(format: .remnawave, secret: PanelIngestTests.remnawaveSecret).verify(body: delivery.body, headers: delivery.headers)
            // The official SDK's typed parse (UserDto) accepts it.
            let parsed = try JSONParser.parse(
                Array(try ExternalVerifier.run(
                    "python3", [ExternalVerifier.fixtures.appendingPathComponent("remnawave_sdk_parse.py").path],
                    delivery: delivery, secret: PanelIngestTests.remnawaveSecret).utf8))
            #expect(parsed["username"] == "alice")
            // Derived from "marzban:alice" (Python: uuid.uuid5(UUID("9fa2cfb3-…"), "marzban:alice")).
            #expect(parsed["uuid"] == "225dd0b0-fe2a-5d81-a962-11def6db60f4")
            #expect(body["data"]?["shortUuid"]?.stringValue?.count == 16)
            #expect(body["data"]?["id"]?.intValue.map { $0 > 0 && $0 < 1 << 48 } == true)
        }
        func event(_ name: String) throws -> JSONValue { try #require(got.compactMap(\.json).first { $0["event"]?.stringValue == name }) }
        let modified = try event("user.modified")
        #expect(modified["meta"] == nil, "the panel leaves meta out of user.modified")
        let data = try #require(modified["data"])
        #expect(data["status"] == "ACTIVE", "on_hold is ACTIVE in Remnawave")
        #expect(data["expireAt"] == "2026-02-15T10:00:00.000Z")
        #expect(data["trafficLimitBytes"] == .int(10_737_418_240))
        #expect(data["trafficLimitStrategy"] == "NO_RESET", "Remnawave has no yearly reset")
        #expect(data["userTraffic"]?["usedTrafficBytes"] == .int(9_313_225_746))
        #expect(data["userTraffic"]?["onlineAt"] == "2026-01-15T09:55:00.123Z")
        #expect(data["vlessUuid"] == "35e4e39c-7d5c-4f4b-8b71-558e4f37ff53")
        #expect(data["trojanPassword"] == "Tr0jan")
        #expect(data["ssPassword"] == "")
        #expect(data["description"] == "бот")
        #expect(data["subscriptionUrl"] == "", "a relative Marzban link has no host")
        #expect(data["telegramId"] == .null)
        #expect(data["createdAt"] == "2026-01-01T00:00:00.000Z")
        #expect(data["proxies"] == nil && data["used_traffic"] == nil, "no Marzban field under Remnawave's name")
        let expiration = try event("user.expiration")
        #expect(expiration["meta"] == ["expiration": -24], "days_left 0 is under a day left: -24")
        #expect(try event("user.bandwidth_usage_threshold_reached")["data"]?["lastTriggeredThreshold"] == 86)
        let deleted = try event("user.deleted")
        #expect(deleted["data"]?["status"] == "DISABLED")
        #expect(deleted["data"]?["expireAt"] == "2099-12-31T15:13:22.214Z")

        let plain = try await standard.waitFor(count: 4)
        #expect(plain.contains { $0.json?["type"] == "user.updated" && $0.json?["data"]?["user"]?["username"] == "alice" })
    }

    @Test func wgPortalUsersReachBothPanelsBots() async throws {
        let remnawave = try await TestReceiver.start()
        let marzban = try await TestReceiver.start()
        let standard = try await TestReceiver.start()
        defer { remnawave.stop(); marzban.stop(); standard.stop() }
        let server = try await PanelIngestTests.start(replayTolerance: Self.fixtureAge)
        defer { Task { try await server.stop() } }
        _ = try await server.api.createWebhook(
            url: remnawave.url, events: ["user.*"], format: "remnawave", secret: PanelIngestTests.remnawaveSecret)
        _ = try await Self.marzbanEndpoint(server, url: marzban.url)
        _ = try await server.api.createWebhook(url: standard.url, events: ["user.*"])
        let anonymous = APIClient(baseURL: server.baseURL, token: nil)
        let create = #"{"event":"create","entity":"user","identifier":"bob@example.com","payload":{"CreatedBy":"admin@wgportal.local","UpdatedBy":"admin@wgportal.local","CreatedAt":"2025-06-26T21:43:49.251839574+02:00","UpdatedAt":"2025-06-26T21:43:49.251839574+02:00","Identifier":"bob@example.com","Email":"bob@example.com","AuthSources":[{"Source":"db","ProviderName":""}],"IsAdmin":false,"Notes":"night shift"}}"#
        let disable = #"{"event":"update","entity":"user","identifier":"bob@example.com","payload":{"CreatedBy":"admin@wgportal.local","UpdatedBy":"carol@wgportal.local","CreatedAt":"2025-06-26T21:43:49.251839574+02:00","UpdatedAt":"2025-06-27T08:00:00+02:00","Identifier":"bob@example.com","Email":"","AuthSources":[],"IsAdmin":false,"Disabled":"2025-06-27T08:00:00+02:00","DisabledReason":"left"}}"#
        for body in [create, disable] {
            let reply = try await anonymous.request(.POST, "/ingest/wg-portal", raw: Array(body.utf8), headers: [("Authorization", PanelIngestTests.wgAuth)])
            #expect(reply.status == 200, "\(reply.rawText)")
        }

        let rw = try await remnawave.waitFor(count: 2)
        for delivery in rw {
            let body = try #require(delivery.json)
            try Self.expectConforms(body, "remnawave-webhook.json", "envelope")
            try Self.expectConforms(try #require(body["data"]), "remnawave-user.json", "data")
            let parsed = try JSONParser.parse(
                Array(try ExternalVerifier.run(
                    "python3", [ExternalVerifier.fixtures.appendingPathComponent("remnawave_sdk_parse.py").path],
                    delivery: delivery, secret: PanelIngestTests.remnawaveSecret).utf8))
            #expect(parsed["username"] == "bob@example.com")
            #expect(body["meta"] == nil)
        }
        let created = try #require(rw.compactMap(\.json).first { $0["event"] == "user.created" })
        #expect(created["data"]?["status"] == "ACTIVE")
        #expect(created["data"]?["email"] == "bob@example.com")
        #expect(created["data"]?["description"] == "night shift")
        #expect(created["data"]?["createdAt"] == "2025-06-26T19:43:49.251Z")
        #expect(created["data"]?["trafficLimitBytes"] == 0)
        let modified = try #require(rw.compactMap(\.json).first { $0["event"] == "user.modified" })
        #expect(modified["data"]?["status"] == "DISABLED")
        #expect(modified["data"]?["email"] == .null, "an empty wg-portal Email is no address")

        let elements = try await Self.marzbanElements(marzban, count: 2)
        for element in elements { try Self.expectConforms(element, "marzban-notification.json", "\(element["action"] ?? .null)") }
        let userCreated = try #require(elements.first { $0["action"] == "user_created" })
        #expect(userCreated["by"]?["username"] == "admin@wgportal.local")
        #expect(userCreated["user"]?["note"] == "night shift")
        #expect(userCreated["user"]?["status"] == "active")
        #expect(userCreated["user"]?["expire"] == .null)
        #expect(userCreated["user"]?["data_limit"] == .null)
        #expect(userCreated["user"]?["created_at"] == "2025-06-26T19:43:49.251840")
        let updated = try #require(elements.first { $0["action"] == "user_updated" })
        #expect(updated["by"]?["username"] == "carol@wgportal.local")
        #expect(updated["user"]?["status"] == "disabled")

        let plain = try await standard.waitFor(count: 2)
        #expect(plain.contains { $0.json?["type"] == "user.created" && $0.json?["data"]?["Notes"] == "night shift" })
    }

    @Test func aMarzbanBatchWithOneRejectedElementDoesNotHoldUpTheOthers() async throws {
        // The receiver answers 500 to any request holding the element it cannot handle.
        let receiver = try await TestReceiver.start { _, request in
            TestReceiver.Reply(status: String(decoding: request.body, as: UTF8.self).contains("poison") ? 500 : 200)
        }
        defer { receiver.stop() }
        let server = try await TestServer.start(try TestServer.makeConfiguration(retry: "200ms,200ms"))
        defer { Task { try await server.stop() } }
        let id = try await Self.marzbanEndpoint(server, url: receiver.url)
        let batch: [JSONValue] = ["alice", "poison", "carol"].map {
            ["type": "user.updated", "data": ["username": .string($0), "status": "active"]]
        }
        #expect(try await server.api.post("/events", .array(batch)).status == 202)
        let log = try await server.api.waitForDeliveries(webhookID: id) { list in
            list.count == 3 && list.allSatisfy { $0["status"] == "success" || $0["status"] == "failed" }
        }
        #expect(log.filter { $0["status"] == "success" }.count == 2, "the two good elements are delivered")
        #expect(log.filter { $0["status"] == "failed" }.count == 1, "the rejected one fails on its own, after the retry schedule")
        #expect(log.first { $0["status"] == "failed" }?["attempts"] == 3)
        // First the whole flush in one array, then each failed element alone.
        let first = try #require(receiver.received.first?.json?.arrayValue)
        #expect(first.count == 3)
        #expect(receiver.received.dropFirst().allSatisfy { $0.json?.arrayValue?.count == 1 })
        let delivered = receiver.received.filter { !String(decoding: $0.body, as: UTF8.self).contains("poison") }
        let elements: [JSONValue] = delivered.flatMap { $0.json?.arrayValue ?? [] }
        let names: Set<String> = Set(elements.compactMap { $0["username"]?.stringValue })
        #expect(names == ["alice", "carol"])
    }

    @Test func aPartialNodeFromTheAPIReachesRemnawaveReceiversWhole() async throws {
        let remnawave = try await TestReceiver.start()
        defer { remnawave.stop() }
        let server = try await PanelIngestTests.start(replayTolerance: Self.fixtureAge)
        defer { Task { try await server.stop() } }
        _ = try await server.api.createWebhook(
            url: remnawave.url, events: ["node.*"], format: "remnawave", secret: PanelIngestTests.remnawaveSecret)
        try await server.api.sendEvent("node.created", data: ["name": "nl-ams-1", "address": "ams.example.com", "port": 2222])
        // A panel's own node keeps its bytes, partial or not.
        let own = #"{"name":"de-1","address":"fra.example.com","xrayUptime":"12"}"#
        try await Self.ingestRemnawave(
            server, #"{"scope":"node","event":"node.connection_lost","timestamp":"2026-01-15T10:00:00.000Z","data":\#(own)}"#)

        let got = try await remnawave.waitFor(count: 2)
        let created = try #require(got.first { $0.json?["event"] == "node.created" })
        let body = try #require(created.json)
        try Self.expectConforms(body, "remnawave-webhook.json", "node.created envelope")
        try Self.expectConforms(try #require(body["data"]), "remnawave-node.json", "node.created data")
        let parsed = try JSONParser.parse(
            Array(try ExternalVerifier.run(
                "python3", [ExternalVerifier.fixtures.appendingPathComponent("remnawave_sdk_parse.py").path],
                delivery: created, secret: PanelIngestTests.remnawaveSecret).utf8))
        #expect(parsed["name"] == "nl-ams-1")
        #expect(parsed["port"] == 2222)
        #expect(parsed["uuid"] == .string(DerivedID.uuid("api:node:nl-ams-1")))
        #expect(parsed["country_code"] == "XX")

        let lost = try #require(got.first { $0.json?["event"] == "node.connection_lost" })
        let text = String(decoding: lost.body, as: UTF8.self)
        #expect(text.contains(#""data":\#(own)"#), "a Remnawave node to Remnawave is not rewritten: \(text)")
    }
}
