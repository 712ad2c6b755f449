import Foundation
import Testing
import WirehookCore
import WirehookVerify

/// Fan-out, signing, retries and idempotency, with real receivers.
@Suite(.timeLimit(.minutes(2)))
struct DeliveryTests {
    @Test func fansOutByExactNameStarAndPrefixWildcard() async throws {
        let exact = try await TestReceiver.start()
        let star = try await TestReceiver.start()
        let prefix = try await TestReceiver.start()
        let none = try await TestReceiver.start()
        let disabled = try await TestReceiver.start()
        defer { [exact, star, prefix, none, disabled].forEach { $0.stop() } }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let api = server.api
        _ = try await api.createWebhook(url: exact.url, events: ["user.created"])
        _ = try await api.createWebhook(url: star.url, events: ["*"])
        _ = try await api.createWebhook(url: prefix.url, events: ["user.*"])
        _ = try await api.createWebhook(url: none.url, events: ["billing.*", "vpn.connected"])
        let (disabledID, _) = try await api.createWebhook(url: disabled.url, events: ["*"])
        _ = try await api.request(.PUT, "/webhooks/\(disabledID)", json: ["active": false])

        let reply = try await api.sendEvent("user.created", data: ["username": "ivan"])
        #expect(reply["deliveries"] == 3)
        #expect(reply["event"]?["id"]?.stringValue?.hasPrefix("evt_") == true)
        try await api.sendEvent("user.deleted")
        try await api.sendEvent("node.created")

        try await exact.waitFor(count: 1)
        try await star.waitFor(count: 3)
        try await prefix.waitFor(count: 2)
        try await Task.sleep(for: .milliseconds(400))
        #expect(exact.count == 1)
        #expect(star.count == 3)
        #expect(prefix.count == 2)
        #expect(none.count == 0)
        #expect(disabled.count == 0)
        #expect(Set(prefix.received.compactMap { $0.json?["type"]?.stringValue }) == ["user.created", "user.deleted"])
    }

    @Test func standardDeliveriesVerifyWithOfficialLibraries() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let (_, secret) = try await server.api.createWebhook(url: receiver.url, events: ["user.*"])
        let data: JSONValue = [
            "username": "ivan_пример 🚀", "subscriptionUrl": "https://sub.example.com/aBcD", "limit": .number("1.50"),
            "nested": ["z": 1, "a": [true, .null]],
        ]
        let sent = try await server.api.sendEvent("user.created", data: data, id: "evt_custom_1")
        let delivery = try await receiver.waitFor(count: 1)[0]

        #expect(delivery.header("content-type") == "application/json")
        #expect(delivery.header("user-agent")?.hasPrefix("Wirehook/") == true)
        #expect(delivery.header("webhook-id") == sent["event"]?["id"]?.stringValue)
        let timestamp = try #require(Int(delivery.header("webhook-timestamp") ?? ""))
        #expect(abs(Double(timestamp) - Date().timeIntervalSince1970) < 30)
        // data keeps its bytes: key order and number literals as sent.
        let body = String(decoding: delivery.body, as: UTF8.self)
        #expect(body.hasPrefix(#"{"type":"user.created","timestamp":""#))
        #expect(body.hasSuffix(#","data":{"username":"ivan_пример 🚀","subscriptionUrl":"https://sub.example.com/aBcD","limit":1.50,"nested":{"z":1,"a":[true,null]}}}"#))

        try WebhookVerifierCheck.standard(delivery, secret: secret)
        #expect(try ExternalVerifier.python("standardwebhooks", delivery: delivery, secret: secret).contains("ok user.created"))
        #expect(try ExternalVerifier.python("svix", delivery: delivery, secret: secret).contains("ok user.created"))
        #expect(throws: (any Error).self) {
            try ExternalVerifier.python("standardwebhooks", delivery: delivery, secret: "whsec_" + Data(repeating: 7, count: 24).base64EncodedString())
        }
    }

    @Test func vpnEnterpriseDeliveriesVerifyWithTheDocumentsOwnSamples() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let secret = "whsec_k6nTOnT2f1l0pm2oX3PDxSm0W1YyA8Bn"
        _ = try await server.api.createWebhook(url: receiver.url, events: ["billing.*"], format: "vpn-enterprise", secret: secret)
        let sent = try await server.api.sendEvent("billing.invoice.paid", data: ["invoice_id": "inv_1", "amount": 1200, "note": "Счёт"])
        let delivery = try await receiver.waitFor(count: 1)[0]
        let json = try #require(delivery.json)
        #expect(json.objectMembers?.map(\.key) == ["id", "type", "created_at", "data"])
        #expect(json["id"] == sent["event"]?["id"])
        #expect(json["type"] == "billing.invoice.paid")
        #expect(delivery.header("x-vpn-signature")?.hasPrefix("sha256=") == true)
        #expect(try ExternalVerifier.node("vpn_enterprise_verify.js", delivery: delivery, secret: secret).contains("ok billing.invoice.paid"))
        #expect(try ExternalVerifier.python("vpn-enterprise", delivery: delivery, secret: secret).contains("ok billing.invoice.paid"))
        #expect(throws: (any Error).self) {
            try ExternalVerifier.node("vpn_enterprise_verify.js", delivery: delivery, secret: secret + "x")
        }
    }

    @Test func retriesUntilSuccessWithTheSameWebhookID() async throws {
        let receiver = try await TestReceiver.start { index, _ in TestReceiver.Reply(status: index < 2 ? 500 : 204) }
        defer { receiver.stop() }
        let server = try await TestServer.start(try TestServer.makeConfiguration(retry: "200ms,200ms,200ms"))
        defer { Task { try await server.stop() } }
        let (id, secret) = try await server.api.createWebhook(url: receiver.url)
        try await server.api.sendEvent("user.created")
        let got = try await receiver.waitFor(count: 3)
        #expect(Set(got.map { $0.header("webhook-id") }).count == 1)
        for delivery in got { try WebhookVerifierCheck.standard(delivery, secret: secret) }
        let deliveries = try await server.api.waitForDeliveries(webhookID: id) { $0.first?["status"] == "success" }
        #expect(deliveries[0]["attempts"] == 3)
        #expect(deliveries[0]["response_status"] == 204)
        #expect(deliveries[0]["delivered_at"]?.stringValue != nil)
        #expect(deliveries[0]["next_attempt_at"] == .null)
        try await Task.sleep(for: .milliseconds(500))
        #expect(receiver.count == 3)
    }

    @Test func exhaustingTheScheduleMarksTheDeliveryFailed() async throws {
        let receiver = try await TestReceiver.start { _, _ in TestReceiver.Reply(status: 503, body: "down") }
        defer { receiver.stop() }
        let server = try await TestServer.start(try TestServer.makeConfiguration(retry: "100ms,100ms"))
        defer { Task { try await server.stop() } }
        let (id, _) = try await server.api.createWebhook(url: receiver.url)
        try await server.api.sendEvent("user.created")
        let deliveries = try await server.api.waitForDeliveries(webhookID: id) { $0.first?["status"] == "failed" }
        #expect(deliveries[0]["attempts"] == 3)
        #expect(deliveries[0]["response_status"] == 503)
        try await Task.sleep(for: .milliseconds(400))
        #expect(receiver.count == 3)
    }

    @Test func connectionErrorsAndTimeoutsAreFailedAttempts() async throws {
        let slow = try await TestReceiver.start { _, _ in TestReceiver.Reply(delay: .seconds(5)) }
        defer { slow.stop() }
        var configuration = try TestServer.makeConfiguration(retry: "100ms")
        configuration.worker.timeout = .milliseconds(500)
        let server = try await TestServer.start(configuration)
        defer { Task { try await server.stop() } }
        let (slowID, _) = try await server.api.createWebhook(url: slow.url)
        let (deadID, _) = try await server.api.createWebhook(url: "http://127.0.0.1:1/nothing-listens")
        try await server.api.sendEvent("user.created")
        for id in [slowID, deadID] {
            let list = try await server.api.waitForDeliveries(webhookID: id) { $0.first?["status"] == "failed" }
            #expect(list[0]["attempts"] == 2)
            let detail = try await server.api.get("/webhooks/\(id)/deliveries/\(list[0]["id"]?.stringValue ?? "")")
            let errors = detail["delivery"]?["attempt_log"]?.arrayValue?.compactMap { $0["error"]?.stringValue } ?? []
            #expect(errors.count == 2)
            #expect(errors.allSatisfy { !$0.isEmpty })
        }
    }

    @Test func retryAfterIsHonoured() async throws {
        let receiver = try await TestReceiver.start { index, _ in
            index == 0 ? TestReceiver.Reply(status: 429, headers: [("Retry-After", "1")]) : TestReceiver.Reply()
        }
        defer { receiver.stop() }
        let server = try await TestServer.start(try TestServer.makeConfiguration(retry: "100ms,8s"))
        defer { Task { try await server.stop() } }
        _ = try await server.api.createWebhook(url: receiver.url)
        try await server.api.sendEvent("user.created")
        let got = try await receiver.waitFor(count: 2)
        let gap = got[1].receivedAt.timeIntervalSince(got[0].receivedAt)
        #expect(gap >= 0.9, "second attempt came \(gap)s after the 429, before Retry-After")
        #expect(gap < 5, "Retry-After (1 s) is used, not the scheduled 8 s")
    }

    @Test func repeatedEventIDIsAcceptedOnce() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let (id, _) = try await server.api.createWebhook(url: receiver.url)
        let first = try await server.api.sendEvent("user.created", id: "order-42")
        let second = try await server.api.sendEvent("node.deleted", id: "order-42")
        #expect(first["event"]?["id"] == "order-42")
        #expect(second["event"]?["id"] == "order-42")
        #expect(second["event"]?["type"] == nil, "a resend does not echo a type it did not store")
        #expect(second["duplicate"] == true)
        #expect(second["deliveries"] == 1)
        try await server.api.sendEvent("user.created", id: "order-43")
        try await receiver.waitFor(count: 2)
        try await Task.sleep(for: .milliseconds(400))
        #expect(receiver.count == 2)
        #expect(try await server.api.get("/webhooks/\(id)/deliveries")["total"] == 2)
    }

    @Test func deletingAnEndpointMidFlightDoesNotRepeatOtherEndpointsDeliveries() async throws {
        let slow = try await TestReceiver.start { _, _ in TestReceiver.Reply(delay: .milliseconds(800)) }
        defer { slow.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let (doomed, _) = try await server.api.createWebhook(url: slow.url + "/doomed")
        let (kept, _) = try await server.api.createWebhook(url: slow.url + "/kept")
        let batch: [JSONValue] = (0..<10).map { ["type": "user.created", "data": ["i": .int($0)]] }
        #expect(try await server.api.post("/events", .array(batch)).status == 202)
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await server.api.request(.DELETE, "/webhooks/\(doomed)").status == 200)
        let log = try await server.api.waitForDeliveries(webhookID: kept) { list in
            list.count == 10 && list.allSatisfy { $0["status"] == "success" }
        }
        try await Task.sleep(for: .seconds(1))
        let toKept = slow.received.filter { $0.path.hasSuffix("/kept") }
        #expect(toKept.count == 10, "each delivery to the other endpoint arrives once")
        #expect(log.allSatisfy { $0["attempts"] == 1 })
    }

    @Test func aSlowEndpointDoesNotBlockOthers() async throws {
        let slow = try await TestReceiver.start { _, _ in TestReceiver.Reply(delay: .seconds(3)) }
        let fast = try await TestReceiver.start()
        defer { slow.stop(); fast.stop() }
        var configuration = try TestServer.makeConfiguration()
        configuration.worker = .init(concurrency: 8, maxPerEndpoint: 4, timeout: .seconds(5), pollInterval: .milliseconds(50))
        let server = try await TestServer.start(configuration)
        defer { Task { try await server.stop() } }
        _ = try await server.api.createWebhook(url: slow.url, events: ["node.*"])
        _ = try await server.api.createWebhook(url: fast.url, events: ["billing.*"])
        for _ in 0..<20 { try await server.api.sendEvent("node.modified") }
        let start = ContinuousClock.now
        for _ in 0..<10 { try await server.api.sendEvent("billing.invoice.paid") }
        try await fast.waitFor(count: 10, timeout: .seconds(10))
        #expect(ContinuousClock.now - start < .seconds(2), "fast endpoint waited behind the slow one")
    }

    @Test func batchIngestAcceptsManyEventsInOneRequest() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        _ = try await server.api.createWebhook(url: receiver.url)
        let batch: JSONValue = .array((0..<50).map { ["type": "user.created", "data": ["i": .int($0)]] })
        let reply = try await server.api.post("/events", batch)
        #expect(reply.status == 202)
        #expect(reply["events"]?.arrayValue?.count == 50)
        try await receiver.waitFor(count: 50)
        let bad = try await server.api.post("/events", [["type": "ok.one"], ["type": "bad one"]])
        #expect(bad.status == 422)
        #expect(bad.json["error"]?["message"]?.stringValue?.hasPrefix("event 1:") == true)
    }
}
