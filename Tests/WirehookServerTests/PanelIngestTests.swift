import Foundation
import Testing
import WirehookCore
import WirehookServer
import WirehookVerify

/// Panels pointed at Wirehook unchanged: each adapter checks the panel's proof and normalises.
@Suite(.timeLimit(.minutes(2)))
struct PanelIngestTests {
    static let remnawaveSecret = "vsmu67Kmg6R8FjIOF1WUY8LWBHie4scdEqrfsKmyf4IAf8dY3nFS0wwYHkhh6ZvQ"
    static let marzbanSecret = "something-very-very-secret"
    static let wgAuth = "Basic dXNlcm5hbWU6cGFzc3dvcmQ="

    /// `replayTolerance`: fixtures that are the panels' real captured bodies carry their own,
    /// fixed timestamps, so those tests widen the replay window rather than rewrite the bodies.
    static func start(replayTolerance: Duration? = nil) async throws -> TestServer {
        var configuration = try TestServer.makeConfiguration()
        if let replayTolerance { configuration.sourceTolerance = replayTolerance }
        configuration.environment = [
            "WIREHOOK_SOURCE_REMNAWAVE_SECRET": remnawaveSecret, "WIREHOOK_SOURCE_MARZBAN_SECRET": marzbanSecret,
            "WIREHOOK_SOURCE_WGPORTAL_AUTH": wgAuth,
        ]
        return try await TestServer.start(configuration)
    }

    @Test func remnawaveInRemnawaveOutIsByteIdenticalInData() async throws {
        let receiver = try await TestReceiver.start()
        let standard = try await TestReceiver.start()
        defer { receiver.stop(); standard.stop() }
        let server = try await Self.start()
        defer { Task { try await server.stop() } }
        _ = try await server.api.createWebhook(url: receiver.url, events: ["user.*"], format: "remnawave", secret: Self.remnawaveSecret)
        let (_, standardSecret) = try await server.api.createWebhook(url: standard.url, events: ["user.updated"])
        let dataText = #"{"uuid":"b1f6a3c2-0000-4000-8000-000000000001","username":"ivan_пример","status":"ACTIVE","usedTrafficBytes":1073741824,"trafficLimitBytes":0,"subscriptionUrl":"https://sub.example.com/aBcD","description":"emoji 🚀 and \"quotes\"","expireAt":"2026-02-01T00:00:00.000Z"}"#
        // A fresh time: the body's own timestamp is checked against the replay window.
        let now = Timestamp.iso8601(Date())
        let raw = Array(#"{"scope":"user","event":"user.modified","timestamp":"\#(now)","data":\#(dataText),"meta":null}"#.utf8)
        let signature = HMACSignature.hex(secret: Self.remnawaveSecret, message: raw)
        let reply = try await server.api.request(
            .POST, "/ingest/remnawave", raw: raw, token: .some(nil),
            headers: [("X-Remnawave-Signature", signature), ("X-Remnawave-Timestamp", now)])
        #expect(reply.status == 200)
        #expect(reply["events"]?.arrayValue?.first?["type"] == "user.updated")

        let out = try await receiver.waitFor(count: 1)[0]
        #expect(out.body == raw, "Remnawave in, Remnawave out: the same bytes")
        #expect(out.header("x-remnawave-signature") == signature)
        let other = try await standard.waitFor(count: 1)[0]
        #expect(String(decoding: other.body, as: UTF8.self).hasSuffix(#","data":\#(dataText)}"#))
        try WebhookVerifier(format: .standard, secret: standardSecret).verify(body: other.body, headers: other.headers)

        // The panel's own retry of the same webhook is accepted once.
        let again = try await server.api.request(
            .POST, "/ingest/remnawave", raw: raw, token: .some(nil), headers: [("X-Remnawave-Signature", signature)])
        #expect(again["events"]?.arrayValue?.first?["duplicate"] == true)
        try await Task.sleep(for: .milliseconds(300))
        #expect(receiver.count == 1)
    }

    @Test func remnawaveRejectsWrongOrMissingSignaturesAndAcceptsOldEnvelopesAndCustomEvents() async throws {
        let server = try await Self.start()
        defer { Task { try await server.stop() } }
        let old = Array(#"{"event":"node.connection_lost","timestamp":"\#(Timestamp.iso8601(Date()))","data":{"name":"de-1"}}"#.utf8)
        let good = HMACSignature.hex(secret: Self.remnawaveSecret, message: old)
        let anonymous = APIClient(baseURL: server.baseURL, token: nil)
        #expect(try await anonymous.request(.POST, "/ingest/remnawave", raw: old).status == 401)
        let wrong = try await anonymous.request(
            .POST, "/ingest/remnawave", raw: old, headers: [("X-Remnawave-Signature", String(good.reversed()))])
        #expect(wrong.status == 401)
        #expect(wrong.errorCode == "unauthorized")
        let accepted = try await anonymous.request(.POST, "/ingest/remnawave", raw: old, headers: [("X-Remnawave-Signature", good)])
        #expect(accepted.status == 200)
        #expect(accepted["events"]?.arrayValue?.first?["type"] == "node.connection_lost")
        let future = Array(#"{"scope":"future","event":"future.thing_happened","timestamp":"\#(Timestamp.iso8601(Date()))","data":{}}"#.utf8)
        let custom = try await anonymous.request(
            .POST, "/ingest/remnawave", raw: future,
            headers: [("X-Remnawave-Signature", HMACSignature.hex(secret: Self.remnawaveSecret, message: future))])
        #expect(custom.status == 200)
        #expect(custom["events"]?.arrayValue?.first?["custom"] == true)
        #expect(custom["events"]?.arrayValue?.first?["type"] == "future.thing_happened")
    }

    @Test func marzbanChecksTheSecretAndAcceptsTheArray() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await Self.start()
        defer { Task { try await server.stop() } }
        _ = try await server.api.createWebhook(url: receiver.url, events: ["user.*"])
        let body = Array(
            #"[{"username": "marzban_test_user", "action": "user_updated", "enqueued_at": 1680506457.636369, "tries": 0}, {"username": "b", "action": "reached_usage_percent", "enqueued_at": 1680506458.0, "send_at": 1680506458.0, "tries": 1, "used_percent": 80.0, "user": {"username": "b", "status": "active"}}]"#
                .utf8)
        let anonymous = APIClient(baseURL: server.baseURL, token: nil)
        #expect(try await anonymous.request(.POST, "/ingest/marzban", raw: body).status == 401)
        #expect(try await anonymous.request(.POST, "/ingest/marzban", raw: body, headers: [("x-webhook-secret", "nope")]).status == 401)
        let reply = try await anonymous.request(
            .POST, "/ingest/marzban", raw: body, headers: [("x-webhook-secret", Self.marzbanSecret)])
        #expect(reply.status == 200)
        #expect(reply["events"]?.arrayValue?.compactMap { $0["type"]?.stringValue } == ["user.updated", "user.bandwidth_usage_threshold_reached"])
        let got = try await receiver.waitFor(count: 2)
        let updated = try #require(got.first { $0.json?["type"] == "user.updated" })
        #expect(updated.json?["data"] == ["username": "marzban_test_user"])
        // Marzban's `enqueued_at` is its process start time, so the event time is when it arrived.
        let stamped = try #require(updated.json?["timestamp"]?.stringValue.flatMap(Timestamp.parse))
        #expect(abs(stamped.timeIntervalSinceNow) < 60)
        // Marzban re-sends with tries+1; that is the same notification.
        let resend = Array(#"[{"username": "marzban_test_user", "action": "user_updated", "enqueued_at": 1680506457.636369, "tries": 1}]"#.utf8)
        let second = try await anonymous.request(.POST, "/ingest/marzban", raw: resend, headers: [("x-webhook-secret", Self.marzbanSecret)])
        #expect(second["events"]?.arrayValue?.first?["duplicate"] == true)
    }

    @Test func wgPortalChecksAuthorizationAndAcceptsBothConnectShapes() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await Self.start()
        defer { Task { try await server.stop() } }
        _ = try await server.api.createWebhook(url: receiver.url, events: ["vpn.*", "peer.*"])
        let anonymous = APIClient(baseURL: server.baseURL, token: nil)
        let current = Array(
            #"{"event":"connect","entity":"peer_metric","identifier":"Fb5Ta=","payload":{"Status":{"IsConnected":true,"BytesReceived":212},"Peer":{"Identifier":"Fb5Ta=","DisplayName":"Peer Fb5TaziA"}}}"#.utf8)
        let older = Array(
            #"{"event":"connect","entity":"peer","identifier":"Fb5Ta=","payload":{"PeerId":"Fb5Ta=","IsConnected":true,"IsPingable":false,"LastPing":null,"BytesReceived":1860}}"#.utf8)
        #expect(try await anonymous.request(.POST, "/ingest/wg-portal", raw: current).status == 401)
        #expect(try await anonymous.request(.POST, "/ingest/wg-portal", raw: current, headers: [("Authorization", "Basic nope")]).status == 401)
        for body in [current, older] {
            let reply = try await anonymous.request(.POST, "/ingest/wg-portal", raw: body, headers: [("Authorization", Self.wgAuth)])
            #expect(reply.status == 200)
            #expect(reply["events"]?.arrayValue?.first?["type"] == "vpn.connected")
        }
        let got = try await receiver.waitFor(count: 2)
        for delivery in got {
            #expect(delivery.json?["type"] == "vpn.connected")
            #expect(delivery.json?["data"]?["Status"]?["IsConnected"] == true)
            #expect(delivery.json?["data"]?["Peer"]?["Identifier"] == "Fb5Ta=")
        }
        let update = Array(#"{"event":"update","entity":"peer","identifier":"Fb5Ta=","payload":{"DisplayName":"x"}}"#.utf8)
        let reply = try await anonymous.request(.POST, "/ingest/wg-portal", raw: update, headers: [("Authorization", Self.wgAuth)])
        #expect(reply["events"]?.arrayValue?.first?["type"] == "peer.updated")

        // The body has no id or time: the same peer connecting again is a new event, not a resend.
        let again = try await anonymous.request(.POST, "/ingest/wg-portal", raw: current, headers: [("Authorization", Self.wgAuth)])
        #expect(again["events"]?.arrayValue?.first?["duplicate"] != true)
        let all = try await receiver.waitFor(count: 4)
        #expect(Set(all.compactMap { $0.header("webhook-id") }).count == 4)
    }

    /// A captured Remnawave request replayed later is refused: its signed body says when it was sent.
    @Test func remnawaveRefusesSignedBodiesOutsideTheReplayWindow() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        var configuration = try TestServer.makeConfiguration()
        configuration.environment = ["WIREHOOK_SOURCE_REMNAWAVE_SECRET": Self.remnawaveSecret]
        configuration.sourceTolerance = .seconds(600)
        let server = try await TestServer.start(configuration)
        defer { Task { try await server.stop() } }
        _ = try await server.api.createWebhook(url: receiver.url, events: ["*"])
        let anonymous = APIClient(baseURL: server.baseURL, token: nil)
        func post(sentAt: Date) async throws -> APIClient.Reply {
            let body = Array(
                #"{"scope":"user","event":"user.created","timestamp":"\#(Timestamp.iso8601(sentAt))","data":{"uuid":"\#(UUID())"}}"#.utf8)
            // The unsigned header claims "now": it must not rescue an old body.
            return try await anonymous.request(
                .POST, "/ingest/remnawave", raw: body,
                headers: [
                    ("X-Remnawave-Signature", HMACSignature.hex(secret: Self.remnawaveSecret, message: body)),
                    ("X-Remnawave-Timestamp", Timestamp.iso8601(Date())),
                ])
        }
        let stale = try await post(sentAt: Date().addingTimeInterval(-11 * 60))
        #expect(stale.status == 401)
        #expect(stale.errorCode == "unauthorized")
        let staleMessage = stale.json["error"]?["message"]?.stringValue ?? ""
        #expect(staleMessage.contains("older than the replay window"), "\(staleMessage)")
        #expect(staleMessage.contains("WIREHOOK_SOURCE_TOLERANCE"), "\(staleMessage)")

        let ahead = try await post(sentAt: Date().addingTimeInterval(11 * 60))
        #expect(ahead.status == 401)
        #expect(ahead.json["error"]?["message"]?.stringValue?.contains("ahead") == true, "\(ahead.rawText)")

        // Inside the window, a few minutes late (a panel retry), is accepted and delivered.
        let late = try await post(sentAt: Date().addingTimeInterval(-9 * 60))
        #expect(late.status == 200, "\(late.rawText)")
        _ = try await receiver.waitFor(count: 1)
        try await Task.sleep(for: .milliseconds(300))
        #expect(receiver.count == 1, "only the fresh body was delivered")
    }

    @Test func replayWindowComesFromTheEnvironment() throws {
        #expect(try ServerConfiguration.fromEnvironment([:]).sourceTolerance == .seconds(600))
        #expect(try ServerConfiguration.fromEnvironment(["WIREHOOK_SOURCE_TOLERANCE": "2m"]).sourceTolerance == .seconds(120))
        #expect(throws: ConfigurationError.self) { try ServerConfiguration.fromEnvironment(["WIREHOOK_SOURCE_TOLERANCE": "soon"]) }
    }

    @Test func unconfiguredSourcesAreRefusedWithAClearMessage() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let reply = try await APIClient(baseURL: server.baseURL, token: nil).request(
            .POST, "/ingest/remnawave", raw: Array("{}".utf8), headers: [("X-Remnawave-Signature", "00")])
        #expect(reply.status == 404)
        #expect(reply.json["error"]?["message"]?.stringValue?.contains("WIREHOOK_SOURCE_REMNAWAVE_SECRET") == true)
    }
}
