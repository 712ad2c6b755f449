import Foundation
import Testing
import WirehookCore
import WirehookVerify

/// Every format end to end: a real receiver gets what the panel's own receivers expect.
@Suite(.timeLimit(.minutes(2)))
struct DialectDeliveryTests {
    static let remnawaveSecret = "vsmu67Kmg6R8FjIOF1WUY8LWBHie4scdEqrfsKmyf4IAf8dY3nFS0wwYHkhh6ZvQ"

    @Test func remnawaveBodiesAreWhatJSONStringifyWritesAndVerifyWithTheSeedSamples() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        _ = try await server.api.createWebhook(
            url: receiver.url, events: ["user.*"], format: "remnawave", secret: Self.remnawaveSecret)
        let data: JSONValue = [
            "username": "ivan_пример", "description": "VIP 🚀 «клиент» \"q\" a/b\\c\n",
            "subscriptionUrl": "https://sub.example.com/aBcD?x=1&y=<2>", "trafficLimitBytes": 0,
            "usedTrafficBytes": .number("1.0"), "ratio": .number("1.50"), "big": .number("1e21"),
        ]
        // Sent under Remnawave's own name: normalised to canonical user.updated, delivered as user.modified,
        // without `meta`, as the panel leaves it out of every user event but two.
        try await server.api.sendEvent("user.modified", data: data)
        let delivery = try await receiver.waitFor(count: 1)[0]
        let body = String(decoding: delivery.body, as: UTF8.self)
        #expect(body.hasPrefix(#"{"scope":"user","event":"user.modified","timestamp":""#))
        #expect(
            body.contains(
                #""data":{"username":"ivan_пример","description":"VIP 🚀 «клиент» \"q\" a/b\\c\n","subscriptionUrl":"https://sub.example.com/aBcD?x=1&y=<2>","trafficLimitBytes":0,"usedTrafficBytes":1,"ratio":1.5,"big":1e+21}}"#
            ))
        #expect(delivery.header("x-remnawave-timestamp") == delivery.json?["timestamp"]?.stringValue)
        #expect(try ExternalVerifier.node("remnawave_verify.js", delivery: delivery, secret: Self.remnawaveSecret).contains("ok user.modified"))
        #expect(try ExternalVerifier.python("remnawave", delivery: delivery, secret: Self.remnawaveSecret).contains("ok user.modified"))
        try WebhookVerifier(format: .remnawave, secret: Self.remnawaveSecret).verify(body: delivery.body, headers: delivery.headers)
    }

    @Test func eventsWithoutACounterpartAreSkippedVisibly() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let (id, _) = try await server.api.createWebhook(
            url: receiver.url, events: ["*"], format: "remnawave", secret: Self.remnawaveSecret)
        let reply = try await server.api.sendEvent("billing.invoice.paid", data: ["amount": 1200])
        #expect(reply["deliveries"] == 0)
        try await server.api.sendEvent("node.created", data: ["name": "de-1"])
        try await receiver.waitFor(count: 1)
        let log = try await server.api.get("/webhooks/\(id)/deliveries")
        let skipped = try #require(log["deliveries"]?.arrayValue?.first { $0["status"] == "skipped" })
        #expect(skipped["event_type"] == "billing.invoice.paid")
        #expect(skipped["note"]?.stringValue?.contains("Remnawave has no event") == true)
        #expect(skipped["attempts"] == 0)
        #expect(receiver.count == 1)
        #expect(receiver.received[0].json?["event"] == "node.created")
    }

    @Test func marzbanGetsOneArrayPerFlushWithTriesCounted() async throws {
        let receiver = try await TestReceiver.start { index, _ in TestReceiver.Reply(status: index == 0 ? 500 : 200) }
        defer { receiver.stop() }
        let server = try await TestServer.start(try TestServer.makeConfiguration(retry: "200ms,200ms"))
        defer { Task { try await server.stop() } }
        let reply = try await server.api.post(
            "/webhooks",
            [
                "url": .string(receiver.url), "events": ["user.*"], "format": "marzban",
                "secret": "something-very-very-secret", "options": ["batch_interval_seconds": 1],
            ])
        #expect(reply.status == 201)
        let id = try #require(reply["webhook"]?["id"]?.stringValue)
        // One request, so the three share a flush window however slow the store is.
        let batch: [JSONValue] = ["alice", "борис", "carol"].map {
            ["type": "user.updated", "data": ["username": .string($0), "status": "active"]]
        }
        #expect(try await server.api.post("/events", .array(batch)).status == 202)
        // The first flush holds every due notification; after it fails, each is re-sent alone
        // (one element a receiver rejects must not hold up the others).
        let got = try await receiver.waitFor(count: 4, timeout: .seconds(10))
        for (i, request) in got.prefix(4).enumerated() {
            #expect(request.header("x-webhook-secret") == "something-very-very-secret")
            let elements = try #require(request.json?.arrayValue)
            #expect(elements.count == (i == 0 ? 3 : 1), "one array per flush, then the failed ones alone")
            #expect(elements.allSatisfy { $0["action"] == "user_updated" && $0["tries"]?.intValue == (i == 0 ? 0 : 1) })
            #expect(elements.allSatisfy { $0.objectMembers?.prefix(5).map(\.key) == ["enqueued_at", "send_at", "tries", "username", "action"] })
            let text = String(decoding: request.body, as: UTF8.self)
            #expect(text.hasPrefix(#"[{"enqueued_at": "#), "the panel's key order and Python's json.dumps separators")
        }
        #expect(got.contains { String(decoding: $0.body, as: UTF8.self).contains(#""\u0431\u043e\u0440\u0438\u0441""#) }, "non-ASCII as \\u escapes")
        let log = try await server.api.waitForDeliveries(webhookID: id) { list in
            list.count == 3 && list.allSatisfy { $0["status"] == "success" }
        }
        #expect(log.allSatisfy { $0["attempts"] == 2 }, "each element logged on its own")
    }

    @Test func marzbanTestDeliveriesDoNotWaitForTheFlush() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let reply = try await server.api.post(
            "/webhooks",
            [
                "url": .string(receiver.url), "events": ["user.*"], "format": "marzban",
                "secret": "something-very-very-secret", "options": ["batch_interval_seconds": 600],
            ])
        let id = try #require(reply["webhook"]?["id"]?.stringValue)
        let test = try await server.api.post("/webhooks/\(id)/test", ["event_type": "user.created", "custom_data": ["username": "t"]])
        // 200 with the answer, or 202 when a loaded worker has not sent it within the wait; either
        // way it arrives within seconds, not at the 10-minute flush.
        #expect(test.status == 200 || test.status == 202)
        #expect(try await receiver.waitFor(count: 1, timeout: .seconds(20))[0].json?.arrayValue?.count == 1)
    }

    @Test func wgPortalSendsItsEnvelopeWithTheAuthorizationVerbatim() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let auth = "Basic dXNlcm5hbWU6cGFzc3dvcmQ="
        _ = try await server.api.createWebhook(url: receiver.url, events: ["peer.*", "user.*"], format: "wg-portal", secret: auth)
        try await server.api.sendEvent(
            "peer.updated", data: ["Identifier": "Fb5TaziAs1WrPBjC/MFbWsIelVXvi0hDKZ3YQM9wmU8=", "DisplayName": "Peer <1>", "Mtu": 1420])
        let delivery = try await receiver.waitFor(count: 1)[0]
        #expect(delivery.header("authorization") == auth)
        #expect(
            String(decoding: delivery.body, as: UTF8.self)
                == #"{"event":"update","entity":"peer","identifier":"Fb5TaziAs1WrPBjC/MFbWsIelVXvi0hDKZ3YQM9wmU8=","payload":{"Identifier":"Fb5TaziAs1WrPBjC/MFbWsIelVXvi0hDKZ3YQM9wmU8=","DisplayName":"Peer \u003c1\u003e","Mtu":1420}}"#)
        try WebhookVerifier(format: .wgPortal, secret: auth).verify(body: delivery.body, headers: delivery.headers)
    }

    @Test func discordGetsColouredEmbeds() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let (id, _) = try await server.api.createWebhook(url: receiver.url + "/1234/tok3n-s3cret", events: ["user.*"], format: "discord")
        // The URL's last segment is the Discord webhook token: shown on create only.
        let shown = try await server.api.get("/webhooks/\(id)")["webhook"]?["url"]?.stringValue ?? ""
        #expect(shown.hasSuffix("/1234/***masked***") && !shown.contains("tok3n"), "\(shown)")
        try await server.api.sendEvent("user.disabled", data: ["username": "ivan_*bold*", "trojanPassword": "hunter2"])
        let delivery = try await receiver.waitFor(count: 1)[0]
        let embed = try #require(delivery.json?["embeds"]?.arrayValue?.first)
        #expect(delivery.json?["content"] == "")
        #expect(embed["color"] == .int(0x424b59))
        #expect(embed["title"]?.stringValue?.isEmpty == false)
        let description = embed["description"]?.stringValue ?? ""
        #expect(description.contains(#"ivan\_\*bold\*"#))
        #expect(!description.contains("hunter2"), "secrets in event data are not posted to chat")
        #expect(embed["footer"]?["text"]?.stringValue?.contains("user.disabled") == true)
    }

    @Test func telegramCallsSendMessageWithEscapedHTML() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let token = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678"
        let reply = try await server.api.post(
            "/webhooks",
            [
                "url": .string("http://127.0.0.1:\(receiver.port)"), "events": ["user.*"], "format": "telegram",
                "secret": .string(token), "options": ["chat_id": -100123],
            ])
        #expect(reply.status == 201)
        #expect(try await server.api.get("/webhooks").json["webhooks"]?.arrayValue?.first?["secret"] == "whsec_***masked***")
        try await server.api.sendEvent("user.created", data: ["username": "<script>&"])
        let delivery = try await receiver.waitFor(count: 1)[0]
        #expect(delivery.path == "/bot\(token)/sendMessage")
        #expect(delivery.json?["chat_id"] == .number("-100123"))
        #expect(delivery.json?["parse_mode"] == "HTML")
        let text = delivery.json?["text"]?.stringValue ?? ""
        #expect(text.contains("&lt;script&gt;&amp;"))
        #expect(!text.contains("<script>"))
        let missingChat = try await server.api.post(
            "/webhooks", ["url": "https://api.telegram.org", "events": ["*"], "format": "telegram", "secret": .string(token)])
        #expect(missingChat.status == 422)
    }

    @Test func filtersAcceptCatalogNamesAndRejectUnknownOnesUnlessOptedIn() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let unknown = try await server.api.post("/webhooks", ["url": "https://x.example", "events": ["user.teleported"]])
        #expect(unknown.status == 422)
        #expect(unknown.json["error"]?["message"]?.stringValue?.contains("user.teleported") == true)
        #expect(try await server.api.post("/webhooks", ["url": "https://x.example", "events": ["nosuchscope.*"]]).status == 422)
        let custom = try await server.api.post(
            "/webhooks",
            ["url": "https://x.example", "events": ["acme.thing"], "options": ["allow_custom_types": true]])
        #expect(custom.status == 201)
        let alias = try await server.api.post("/webhooks", ["url": "https://x.example", "events": ["user.modified", "user_hwid_devices.*"]])
        #expect(alias.status == 201)
        #expect(alias["webhook"]?["events"] == ["user.updated", "user_hwid_devices.*"])

        let types = try await server.api.get("/event-types")
        #expect(types.status == 200)
        let list = try #require(types["event_types"]?.arrayValue)
        let updated = try #require(list.first { $0["name"] == "user.updated" })
        #expect(updated["dialect_names"]?["remnawave"] == "user.modified")
        #expect(updated["dialect_names"]?["marzban"] == "user_updated")
        #expect(updated["dialect_names"]?["wg-portal"] == ["event": "update", "entity": "user"])
        #expect(updated["dialect_names"]?["vpn-enterprise"] == "user.updated")
        #expect(updated["example"]?.objectMembers?.isEmpty == false)
        #expect(try await server.api.get("/event-types?scope=node")["event_types"]?.arrayValue?.allSatisfy { $0["scope"] == "node" } == true)
    }
}
