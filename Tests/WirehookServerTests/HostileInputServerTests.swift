import Foundation
import PropertyBased
import Testing
import WirehookCore
import WirehookTestSupport
import WirehookVerify

/// Generated hostile events through the real server: `POST /events`, every panel's ingest route
/// and `POST /webhooks/:id/test`, with an endpoint of every format subscribed. The server never
/// traps and never answers 5xx; each request is either accepted or refused with a clean JSON 4xx,
/// and what reaches the receivers is JSON.
///
/// A failure names its case seed; a trap writes it to standard error before the process ends.
/// `WIREHOOK_PROPERTY_SEED=0x… swift test --filter HostileInputServerTests` reruns that case.
@Suite(.timeLimit(.minutes(2)))
struct HostileInputServerTests {
    @Test func ingestAndEveryPanelAdapterSurviveHostileEvents() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await PanelIngestTests.start()
        defer { Task { try await server.stop() } }
        var remnawaveID = ""
        for format in FormatRegistry.standard.names {
            var body: JSONValue = [
                "url": .string(receiver.url), "events": ["*"], "format": .string(format),
                "options": Self.options(for: format),
            ]
            if let secret = Self.secret(for: format) { body = body.setting("secret", to: .string(secret)) }
            let reply = try await server.api.post("/webhooks", body)
            try #require(reply.status == 201, "creating a \(format) endpoint: \(reply.rawText)")
            if format == "remnawave" { remnawaveID = reply["webhook"]?["id"]?.stringValue ?? "" }
        }
        let endpointID = remnawaveID

        // Errors become issues: PropertyBased 2.0.1 drops errors thrown by the body (`try?`).
        let check: (HostileEvent) async -> Void = { event in
            do {
                try await PropertySeed.running("ingestAndEveryPanelAdapterSurviveHostileEvents", seed: event.seed) {
                    try await Self.exercise(server, event: event, remnawaveID: endpointID)
                }
            } catch {
                Issue.record("\(error) for \(event)")
            }
        }
        if let seed = PropertySeed.fixed {
            await check(HostileJSON.event(seed: seed, hugeStrings: true))
        } else {
            await propertyCheck(count: 30, input: Gen.uint64().map { HostileJSON.event(seed: $0, hugeStrings: true) }) {
                await check($0)
            }
        }

        #expect(try await server.api.get("/health").status == 200, "the server is still up")
        _ = try await receiver.waitFor(count: 1)
        for delivery in receiver.received {
            #expect(
                (try? JSONParser.parse(delivery.body, limits: .init(maxDepth: 128))) != nil,
                "a delivery to \(delivery.path) is not JSON: \(String(decoding: delivery.body.prefix(200), as: UTF8.self))")
        }
    }

    /// One case through every entry point.
    static func exercise(_ server: TestServer, event: HostileEvent, remnawaveID: String) async throws {
        let anonymous = APIClient(baseURL: server.baseURL, token: nil)
        let limit = 1 << 20

        // POST /events: the outcome is exactly what the parser and the data rule predict.
        let reply = try await server.api.request(.POST, "/events", raw: event.eventText)
        let parsed = try? JSONParser.parse(event.eventText)
        let expected: Int
        if event.eventText.count > limit {
            expected = 413
        } else if let data = parsed?["data"] {
            expected = EventDataRules.problem(in: data, path: "data") == nil ? 202 : 422
        } else {
            expected = 400
        }
        #expect(reply.status == expected, "POST /events answered \(reply.status) \(reply.rawText.prefix(300)) for \(event)")
        expectCleanAnswer(reply, "POST /events", event)
        if expected == 422 {
            #expect(reply.json["error"]?["message"]?.stringValue?.hasPrefix("'data") == true, "the 422 names the field")
        }

        // The panels' own envelopes around the same data.
        let omitMeta = event.seed % 2 == 0
        let remnawave =
            Array(#"{"scope":"user","event":"user.expiration","timestamp":"\#(Timestamp.iso8601(Date()))","data":"#.utf8)
            + event.dataText + Array((omitMeta ? "}" : #","meta":null}"#).utf8)
        let signed = try await anonymous.request(
            .POST, "/ingest/remnawave", raw: remnawave,
            headers: [("X-Remnawave-Signature", HMACSignature.hex(secret: PanelIngestTests.remnawaveSecret, message: remnawave))])
        expectCleanAnswer(signed, "POST /ingest/remnawave", event)

        let members = event.membersText.isEmpty ? [] : Array(",".utf8) + event.membersText
        let marzban =
            Array(#"[{"username": "x", "action": "reached_days_left", "enqueued_at": 1680506457.636369, "tries": 0"#.utf8)
            + members + Array("}]".utf8)
        let notified = try await anonymous.request(
            .POST, "/ingest/marzban", raw: marzban, headers: [("x-webhook-secret", PanelIngestTests.marzbanSecret)])
        expectCleanAnswer(notified, "POST /ingest/marzban", event)

        let wgPortal = Array(#"{"event":"update","entity":"peer","identifier":"k","payload":"#.utf8) + event.dataText + Array("}".utf8)
        let posted = try await anonymous.request(
            .POST, "/ingest/wg-portal", raw: wgPortal, headers: [("Authorization", PanelIngestTests.wgAuth)])
        expectCleanAnswer(posted, "POST /ingest/wg-portal", event)

        // A test delivery waits for the receiver, so only some cases take this route.
        if event.seed % 4 == 0 {
            let test = Array(#"{"event_type":"user.expiration","custom_data":"#.utf8) + event.dataText + Array("}".utf8)
            let tested = try await server.api.request(.POST, "/webhooks/\(remnawaveID)/test", raw: test)
            expectCleanAnswer(tested, "POST /webhooks/:id/test", event)
        }
    }

    /// Accepted, or refused with `{"success":false,"error":{"code","message"}}` and a 4xx.
    static func expectCleanAnswer(_ reply: APIClient.Reply, _ route: String, _ event: HostileEvent) {
        #expect(reply.status < 500, "\(route) answered \(reply.status) \(reply.rawText.prefix(300)) for \(event)")
        if reply.status >= 400 {
            #expect(reply.json["success"] == false && reply.errorCode != nil
                && reply.json["error"]?["message"]?.stringValue != nil,
                "\(route) answered \(reply.status) without a JSON error: \(reply.rawText.prefix(300)) for \(event)")
        }
    }

    static func secret(for format: String) -> String? {
        switch format {
        case "remnawave": PanelIngestTests.remnawaveSecret
        case "telegram": "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        default: nil
        }
    }

    static func options(for format: String) -> JSONValue {
        switch format {
        case "telegram": ["chat_id": .number("-1001234567890")]
        case "marzban": ["batch_interval_seconds": 1]
        default: .object([])
        }
    }
}
