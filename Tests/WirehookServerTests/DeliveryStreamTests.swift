import Foundation
import Testing
import WirehookCore

/// `GET /deliveries/stream`: finished attempts as server-sent events, filtered, resumable with
/// `Last-Event-ID` without repeats or gaps, behind the `webhooks:read` scope. Both stores.
@Suite(.timeLimit(.minutes(3)))
struct DeliveryStreamTests {
    @Test func attemptsArriveAsTheyFinishAndAReconnectResumesWithoutRepeatsOrGaps() async throws {
        // user.deleted fails every time, the rest are taken.
        let receiver = try await TestReceiver.start { _, request in
            TestReceiver.Reply(status: request.json?["type"] == "user.deleted" ? 500 : 200)
        }
        defer { receiver.stop() }
        var configuration = try TestServer.makeConfiguration(retry: "100ms")
        configuration.breakerThreshold = 0
        let server = try await TestServer.start(configuration)
        defer { Task { try await server.stop() } }
        let api = server.api
        let (webhookID, _) = try await api.createWebhook(url: receiver.url)
        // Something before the stream opens, which a stream that starts now must not show.
        _ = try await api.sendEvent("user.created", id: "before")
        _ = try await api.waitForDeliveries(webhookID: webhookID) { $0.first?["status"] == "success" }

        let stream = try await EventStreamClient.open(
            baseURL: server.baseURL, path: "/deliveries/stream", token: TestServer.adminToken)
        #expect(stream.status == 200)
        #expect(stream.headers.contains { $0.0.lowercased() == "content-type" && $0.1.hasPrefix("text/event-stream") })
        for i in 1...3 { _ = try await api.sendEvent("user.created", id: "live-\(i)") }
        var seen: [EventStreamClient.Event] = []
        for _ in 1...3 { if let event = try await stream.next() { seen.append(event) } }
        #expect(seen.map { $0.json["event_id"]?.stringValue } == ["live-1", "live-2", "live-3"])
        for event in seen {
            #expect(event.name == "attempt")
            #expect(event.id == event.json["cursor"].map { JSONWriter.string($0) })
            #expect(event.json["webhook_id"]?.stringValue == webhookID)
            #expect(event.json["outcome"] == "success")
            #expect(event.json["status_code"] == 200)
            #expect(event.json["attempt"] == 1)
            #expect(event.json["event_type"] == "user.created")
            #expect(event.json["delivery_id"]?.stringValue?.isEmpty == false)
            #expect(event.json["time"]?.stringValue.flatMap(Timestamp.parse) != nil)
        }
        let cursors = seen.compactMap { $0.id.flatMap(Int64.init) }
        #expect(cursors == cursors.sorted() && Set(cursors).count == 3)
        let lastSeen = try #require(seen.last?.id)
        await stream.close()

        // While nobody listens: one success and one delivery that fails twice.
        _ = try await api.sendEvent("user.created", id: "away-ok")
        _ = try await api.sendEvent("user.deleted", id: "away-fail")
        _ = try await api.waitForDeliveries(webhookID: webhookID) { list in
            list.contains { $0["event_id"] == "away-fail" && $0["status"] == "failed" }
                && list.contains { $0["event_id"] == "away-ok" && $0["status"] == "success" }
        }
        let resumed = try await EventStreamClient.open(
            baseURL: server.baseURL, path: "/deliveries/stream", token: TestServer.adminToken, lastEventID: lastSeen)
        let after = try await resumed.events(within: .seconds(2))
        await resumed.close()
        let lines = after.map { "\($0.json["event_id"]?.stringValue ?? "?")#\($0.json["attempt"].map { JSONWriter.string($0) } ?? "?")" }
        #expect(Set(lines) == ["away-ok#1", "away-fail#1", "away-fail#2"], "\(lines)")
        #expect(lines.count == 3, "each attempt once: \(lines)")
        let failures = after.filter { $0.json["event_id"] == "away-fail" }
        #expect(failures.allSatisfy { $0.json["outcome"] == "failure" && $0.json["status_code"] == 500 })
        #expect(failures.last?.json["delivery_status"] == "failed")

        // Filters, and a replay of everything kept.
        let onlyFailures = try await EventStreamClient.open(
            baseURL: server.baseURL, path: "/deliveries/stream?after=0&status=failure", token: TestServer.adminToken)
        let failed = try await onlyFailures.events(within: .seconds(2))
        await onlyFailures.close()
        #expect(failed.count == 2 && failed.allSatisfy { $0.json["event_id"] == "away-fail" })
        let byType = try await EventStreamClient.open(
            baseURL: server.baseURL, path: "/deliveries/stream?after=0&event_type=user.*&webhook_id=\(webhookID)",
            token: TestServer.adminToken)
        let typed = try await byType.events(within: .seconds(2))
        await byType.close()
        #expect(Set(typed.compactMap { $0.json["event_id"]?.stringValue }) == ["before", "live-1", "live-2", "live-3", "away-ok", "away-fail"])
        #expect(typed.count == 7)
    }

    @Test func badFiltersAreRefusedAndTheScopeIsEnforced() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let api = server.api
        #expect(try await api.get("/deliveries/stream?status=odd").status == 422)
        #expect(try await api.get("/deliveries/stream?after=-1").status == 422)
        #expect(try await api.get("/deliveries/stream?after=soon").status == 422)
        #expect(try await api.get("/deliveries/stream?event_type=a..b").status == 422)
        #expect(try await api.get("/deliveries/stream?webhook_id=wh_nope").status == 404)
        #expect(try await APIClient(baseURL: server.baseURL, token: nil).get("/deliveries/stream").status == 401)
        let (_, writer) = try await APIKeysTests.createKey(api, name: "panel", scopes: ["events:write"])
        #expect(try await APIClient(baseURL: server.baseURL, token: writer).get("/deliveries/stream").status == 403)
        let (_, reader) = try await APIKeysTests.createKey(api, name: "bot", scopes: ["webhooks:read"])
        let stream = try await EventStreamClient.open(baseURL: server.baseURL, path: "/deliveries/stream", token: reader)
        #expect(stream.status == 200)
        await stream.close()
    }
}
