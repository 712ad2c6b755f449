import Foundation
import Synchronization
import Testing
import WirehookCore
import WirehookVerify

/// Replay (retry, recover, redeliver) and secret rotation with overlap, on both stores.
@Suite(.timeLimit(.minutes(3)))
struct RepairTests {
    @Test func retrySendsOneDeliveryAgainWhateverItsStatusAndMarksItManual() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let api = server.api
        let (id, _) = try await api.createWebhook(url: receiver.url)
        try await api.sendEvent("user.created")
        let delivered = try await api.waitForDeliveries(webhookID: id) { $0.first?["status"] == "success" }
        let deliveryID = try #require(delivered[0]["id"]?.stringValue)

        let retry = try await api.post("/webhooks/\(id)/deliveries/\(deliveryID)/retry", [:])
        #expect(retry.status == 202)
        try await receiver.waitFor(count: 2)
        #expect(receiver.received[0].header("webhook-id") == receiver.received[1].header("webhook-id"))
        #expect(receiver.received[0].body == receiver.received[1].body, "the same stored body, re-signed")
        let detail = try await Self.waitForAttempts(api, id, deliveryID, count: 2)
        #expect(detail["status"] == "success")
        #expect(detail["attempt_log"]?.arrayValue?.map { $0["trigger"] ?? .null } == ["schedule", "manual"])

        #expect(try await api.post("/webhooks/\(id)/deliveries/del_nope/retry", [:]).status == 404)
        #expect(try await api.post("/webhooks/wh_nope/deliveries/\(deliveryID)/retry", [:]).status == 404)
    }

    @Test func recoverRequeuesFailedDeliveriesSinceATimeInOneGo() async throws {
        let up = Atomic<Bool>(false)
        let receiver = try await TestReceiver.start { _, _ in TestReceiver.Reply(status: up.load(ordering: .relaxed) ? 200 : 500) }
        defer { receiver.stop() }
        var configuration = try TestServer.makeConfiguration(retry: "50ms")
        configuration.breakerThreshold = 0
        let server = try await TestServer.start(configuration)
        defer { Task { try await server.stop() } }
        let api = server.api
        let (id, _) = try await api.createWebhook(url: receiver.url)
        let before = Date().addingTimeInterval(-1)
        let batch: JSONValue = .array((0..<30).map { ["type": "user.created", "data": ["i": .int($0)]] })
        #expect(try await api.post("/events", batch).status == 202)
        _ = try await api.waitForDeliveries(webhookID: id) { list in list.count == 30 && list.allSatisfy { $0["status"] == "failed" } }

        #expect(try await api.post("/webhooks/\(id)/recover", ["since": "yesterday"]).status == 422)
        #expect(try await api.post("/webhooks/\(id)/recover", [:]).status == 422)
        #expect(try await api.post("/webhooks/\(id)/recover", ["since": "2026-01-01T00:00:00Z", "status": "odd"]).status == 422)
        #expect(try await api.post("/webhooks/wh_nope/recover", ["since": "2026-01-01T00:00:00Z"]).status == 404)
        // A window that ends before the events: nothing.
        let none = try await api.post(
            "/webhooks/\(id)/recover", ["since": "2020-01-01T00:00:00Z", "until": .string(Timestamp.iso8601(before))])
        #expect(none["recovered"] == 0)

        up.store(true, ordering: .relaxed)
        let recovered = try await api.post("/webhooks/\(id)/recover", ["since": .string(Timestamp.iso8601(before))])
        #expect(recovered.status == 202)
        #expect(recovered["recovered"] == 30)
        let log = try await api.waitForDeliveries(webhookID: id) { list in list.allSatisfy { $0["status"] == "success" } }
        #expect(log.count == 30)
        let detail = try await Self.waitForAttempts(api, id, try #require(log[0]["id"]?.stringValue), count: 3)
        #expect(detail["attempt_log"]?.arrayValue?.last?["trigger"] == "manual")
    }

    @Test func redeliverSendsAStoredEventToEveryEndpointSubscribedNow() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let api = server.api
        let (first, _) = try await api.createWebhook(url: receiver.url + "/first")
        try await api.sendEvent("user.created", data: ["username": "ivan"], id: "order-7")
        try await receiver.waitFor(count: 1)
        let (second, _) = try await api.createWebhook(url: receiver.url + "/second")

        let reply = try await api.post("/events/order-7/redeliver", [:])
        #expect(reply.status == 202)
        #expect(reply["deliveries"] == 2)
        #expect(reply["event"]?["type"] == "user.created")
        let got = try await receiver.waitFor(count: 3)
        #expect(Set(got.suffix(2).map(\.path)) == ["/hook/first", "/hook/second"])
        #expect(got.allSatisfy { $0.json?["data"]?["username"] == "ivan" })
        for id in [first, second] {
            let log = try await api.waitForDeliveries(webhookID: id) { $0.allSatisfy { $0["status"] == "success" } }
            let latest = try await Self.waitForAttempts(api, id, try #require(log[0]["id"]?.stringValue), count: 1)
            #expect(latest["attempt_log"]?.arrayValue?.first?["trigger"] == "manual")
        }
        #expect(try await api.post("/events/evt_unknown/redeliver", [:]).status == 404)
        // Redelivery does not count as a resend of the id: the id's window is untouched.
        #expect(try await api.sendEvent("user.created", id: "order-7")["duplicate"] == true)

        // Any id POST /events accepts can be named again (schemathesis found 255 accepted and
        // only 200 redeliverable); one byte more was never accepted, so it is not found.
        let longest = String(repeating: "0", count: Event.maxIDLength)
        #expect(try await api.sendEvent("user.created", id: longest)["duplicate"] != true)
        let again = try await api.post("/events/\(longest)/redeliver", [:])
        #expect(again.status == 202, "\(again)")
        #expect(again["event"]?["id"]?.stringValue == longest)
        #expect(try await api.post("/events/\(longest)0/redeliver", [:]).status == 404)
        // The event and its redelivery reach both endpoints before the receiver stops: a
        // connection opened while it shuts down crashed the test process in NIO.
        try await receiver.waitFor(count: 7)
    }

    @Test func rotationSignsWithBothSecretsDuringTheGracePeriodThenOnlyTheNewOne() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        // The server's clock, moved past the grace period later instead of waiting it out.
        let offset = Atomic<Int>(0)
        let clock = TimeSource { Date().addingTimeInterval(Double(offset.load(ordering: .relaxed))) }
        let server = try await TestServer.start(try TestServer.makeConfiguration(), time: clock)
        defer { Task { try await server.stop() } }
        let api = server.api
        let (id, oldSecret) = try await api.createWebhook(url: receiver.url)

        #expect(try await api.post("/webhooks/\(id)/rotate-secret", ["grace_seconds": 604_801]).status == 422)
        #expect(try await api.post("/webhooks/\(id)/rotate-secret", ["grace_seconds": -1]).status == 422)
        #expect(try await api.post("/webhooks/\(id)/rotate-secret", ["secret": "not-a-whsec"]).status == 422)

        let rotated = try await api.post("/webhooks/\(id)/rotate-secret", ["grace_seconds": 60])
        #expect(rotated.status == 200)
        let newSecret = try #require(rotated["webhook"]?["secret"]?.stringValue)
        #expect(newSecret != oldSecret && newSecret.hasPrefix("whsec_"))
        #expect(rotated["previous_secret_expires_at"]?.stringValue != nil)
        #expect(try await api.get("/webhooks/\(id)")["webhook"]?["secret"] == "whsec_***masked***")

        try await api.sendEvent("user.created")
        let during = try await receiver.waitFor(count: 1)[0]
        #expect(during.header("webhook-signature")?.split(separator: " ").count == 2)
        // Receivers on either secret accept it: the official libraries and ours.
        for secret in [newSecret, oldSecret] {
            try ExternalVerifier.python("standardwebhooks", delivery: during, secret: secret)
            try ExternalVerifier.python("svix", delivery: during, secret: secret)
            #expect(throws: Never.self) {
                try WebhookVerifier(formatName: "standard", secret: secret).verify(body: during.body, headers: during.headers)
            }
        }

        offset.store(61, ordering: .relaxed)
        try await api.sendEvent("user.created")
        let after = try await receiver.waitFor(count: 2)[1]
        #expect(after.header("webhook-signature")?.split(separator: " ").count == 1, "the old secret dropped by itself")
        let then = Date().addingTimeInterval(61)
        #expect(throws: Never.self) {
            try WebhookVerifier(formatName: "standard", secret: newSecret).verify(body: after.body, headers: after.headers, now: then)
        }
        #expect(throws: (any Error).self) {
            try WebhookVerifier(formatName: "standard", secret: oldSecret).verify(body: after.body, headers: after.headers, now: then)
        }
    }

    @Test func singleSignatureDialectsSwitchToTheNewSecretAtOnce() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let api = server.api
        let (id, _) = try await api.createWebhook(url: receiver.url, format: "remnawave")
        let rotated = try await api.post("/webhooks/\(id)/rotate-secret", [:])
        #expect(rotated.status == 200)
        #expect(rotated["previous_secret_expires_at"] == .null)
        #expect(rotated["note"]?.stringValue?.contains("new secret signs from now on") == true)
        let secret = try #require(rotated["webhook"]?["secret"]?.stringValue)
        try await api.sendEvent("user.created", data: ["username": "x"])
        let got = try await receiver.waitFor(count: 1)[0]
        #expect(throws: Never.self) {
            try WebhookVerifier(formatName: "remnawave", secret: secret).verify(body: got.body, headers: got.headers)
        }
    }

    static func waitForAttempts(_ api: APIClient, _ webhookID: String, _ deliveryID: String, count: Int) async throws
        -> JSONValue
    {
        let deadline = ContinuousClock.now + .seconds(20)
        var last: JSONValue = .null
        while ContinuousClock.now < deadline {
            last = try await api.get("/webhooks/\(webhookID)/deliveries/\(deliveryID)")["delivery"] ?? .null
            if (last["attempt_log"]?.arrayValue?.count ?? 0) >= count, last["status"] != "pending" { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("delivery never had \(count) attempts: \(JSONWriter.string(last))")
    }
}
