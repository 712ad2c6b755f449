import Foundation
import Synchronization
import Testing
import WirehookCore

/// Endpoints that fail are noticed, contained and repaired: health, 410, auto-disable, the
/// circuit breaker and isolation. Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL.
@Suite(.timeLimit(.minutes(4)))
struct EndpointHealthTests {
    static func health(_ api: APIClient, _ id: String) async throws -> JSONValue {
        try #require(try await api.get("/webhooks/\(id)")["webhook"]?["health"])
    }

    static func waitForHealth(
        _ api: APIClient, _ id: String, timeout: Duration = .seconds(20), _ predicate: (JSONValue) -> Bool
    ) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        var last: JSONValue = .null
        while ContinuousClock.now < deadline {
            last = try await health(api, id)
            if predicate(last) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("health never reached the expected state: \(JSONWriter.string(last))")
    }

    @Test func healthIsVisibleFilterableAndRecovers() async throws {
        let up = Atomic<Bool>(false)
        let receiver = try await TestReceiver.start { _, _ in TestReceiver.Reply(status: up.load(ordering: .relaxed) ? 200 : 500) }
        defer { receiver.stop() }
        let server = try await TestServer.start(try TestServer.makeConfiguration(retry: "300ms,300ms,300ms,300ms,300ms"))
        defer { Task { try await server.stop() } }
        let api = server.api
        let (id, _) = try await api.createWebhook(url: receiver.url)
        let (quietID, _) = try await api.createWebhook(url: receiver.url, events: ["node.created"])
        #expect(try await Self.health(api, id)["state"] == "healthy")

        try await api.sendEvent("user.created")
        let failing = try await Self.waitForHealth(api, id) { $0["state"] == "failing" }
        #expect(failing["consecutive_failures"]?.intValue ?? 0 >= 1)
        #expect(failing["reason"]?.stringValue?.contains("500") == true)
        #expect(failing["since"]?.stringValue != nil)
        let listed = try await api.get("/webhooks?health=failing")["webhooks"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        #expect(listed == [id])
        let healthy = try await api.get("/webhooks?health=healthy")["webhooks"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        #expect(healthy == [quietID])
        #expect(try await api.get("/webhooks?health=sick").status == 422)

        up.store(true, ordering: .relaxed)
        let back = try await Self.waitForHealth(api, id) { $0["state"] == "healthy" }
        #expect(back["consecutive_failures"] == 0)
        #expect(back["reason"] == .null)
    }

    @Test func goneDisablesAtOnceAndKeepsPendingDeliveriesUntilEnabled() async throws {
        let gone = Atomic<Bool>(true)
        let receiver = try await TestReceiver.start { _, _ in TestReceiver.Reply(status: gone.load(ordering: .relaxed) ? 410 : 200) }
        defer { receiver.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let api = server.api
        let (id, _) = try await api.createWebhook(url: receiver.url)
        // 50 at once: the worker's first claim takes at most its per-endpoint cap (24 here).
        let batch: JSONValue = .array((0..<50).map { ["type": "user.created", "data": ["i": .int($0)]] })
        #expect(try await api.post("/events", batch).status == 202)
        let disabled = try await Self.waitForHealth(api, id) { $0["state"] == "disabled" }
        #expect(disabled["reason"]?.stringValue?.contains("410 Gone") == true)
        #expect(try await api.get("/webhooks/\(id)")["webhook"]?["status"] == "disabled")
        try await Task.sleep(for: .milliseconds(800))
        let sentWhileGone = receiver.count
        #expect(sentWhileGone >= 1 && sentWhileGone <= 24, "only what was in flight when the 410 came: \(sentWhileGone)")
        let log = try await api.waitForDeliveries(webhookID: id) { $0.count == 50 }
        #expect(log.allSatisfy { $0["status"] == "pending" }, "kept, not failed: \(log.map { $0["status"] ?? .null })")
        // Events after the 410 are not fanned out to a disabled endpoint, and nothing more is sent.
        try await api.sendEvent("user.created", data: ["late": true])
        try await Task.sleep(for: .milliseconds(500))
        #expect(receiver.count == sentWhileGone)

        gone.store(false, ordering: .relaxed)
        let enabled = try await api.request(.PATCH, "/webhooks/\(id)", json: ["status": "active"])
        #expect(enabled.status == 200)
        #expect(enabled["webhook"]?["health"]?["state"] == "healthy")
        let done = try await api.waitForDeliveries(webhookID: id) { list in list.allSatisfy { $0["status"] == "success" } }
        #expect(done.count == 50)
        let delivered = receiver.received.suffix(from: sentWhileGone).compactMap { $0.header("webhook-id") }
        #expect(Set(delivered).count == 50 && delivered.count == 50, "each kept delivery went out once, once enabled")
    }

    @Test func noSuccessForTheWindowDisablesTheEndpoint() async throws {
        let receiver = try await TestReceiver.start { _, _ in TestReceiver.Reply(status: 503) }
        defer { receiver.stop() }
        var configuration = try TestServer.makeConfiguration(retry: Array(repeating: "100ms", count: 40).joined(separator: ","))
        configuration.breakerThreshold = 0
        configuration.disableAfter = .seconds(1)
        let server = try await TestServer.start(configuration)
        defer { Task { try await server.stop() } }
        let api = server.api
        let (id, _) = try await api.createWebhook(url: receiver.url)
        try await api.sendEvent("user.created")
        let disabled = try await Self.waitForHealth(api, id) { $0["state"] == "disabled" }
        let reason = disabled["reason"]?.stringValue ?? ""
        #expect(reason.contains("no successful attempt since") && reason.contains("WIREHOOK_DISABLE_AFTER=1s"), "\(reason)")
        #expect(disabled["consecutive_failures"]?.intValue ?? 0 >= 2, "failures kept coming for the whole window")
        let log = try await api.waitForDeliveries(webhookID: id) { $0.count == 1 }
        #expect(log[0]["status"] == "pending", "the delivery waits for the endpoint, it is not failed")
    }

    /// A receiver down while 1,000 events queue: a handful of requests reach it, not
    /// 1,000 × attempts; once it is back, every event arrives exactly once and none is failed.
    @Test func theBreakerHoldsTheBacklogAndDrainsItOnceTheReceiverIsBack() async throws {
        let up = Atomic<Bool>(false)
        let whileDown = Atomic<Int>(0)
        let deliveredIDs = Mutex<[String]>([])
        let receiver = try await TestReceiver.start { _, request in
            if up.load(ordering: .relaxed) {
                deliveredIDs.withLock { $0.append(request.header("webhook-id") ?? "?") }
                return TestReceiver.Reply()
            }
            whileDown.add(1, ordering: .relaxed)
            return TestReceiver.Reply(status: 503)
        }
        defer { receiver.stop() }
        let server = try await TestServer.start(try TestServer.makeConfiguration(retry: "300ms,300ms,300ms"))
        defer { Task { try await server.stop() } }
        let api = server.api
        let (id, _) = try await api.createWebhook(url: receiver.url)
        let batch: JSONValue = .array((0..<1000).map { ["type": "user.created", "data": ["i": .int($0)]] })
        let accepted = try await api.post("/events", batch)
        #expect(accepted.status == 202)
        let paused = try await Self.waitForHealth(api, id) { $0["state"] == "paused" }
        #expect(paused["reason"]?.stringValue?.contains("consecutive failed attempts") == true)
        #expect(paused["next_probe_at"]?.stringValue != nil)
        // Down for three more seconds: only probes, one every 300 ms at most.
        try await Task.sleep(for: .seconds(3))
        let requestsWhileDown = whileDown.load(ordering: .relaxed)
        let stats = try await api.get("/webhooks/\(id)/stats")["delivery_stats"]
        #expect(stats?["failed_deliveries"] == 0)
        up.store(true, ordering: .relaxed)
        let deadline = ContinuousClock.now + .seconds(90)
        var final: JSONValue? = nil
        repeat {
            try await Task.sleep(for: .milliseconds(200))
            final = try await api.get("/webhooks/\(id)/stats")["delivery_stats"]
        } while final?["successful_deliveries"] != 1000 && ContinuousClock.now < deadline
        try await Task.sleep(for: .milliseconds(500))
        let successes = deliveredIDs.withLock { $0 }
        print(
            "breaker: \(requestsWhileDown) requests reached the receiver while it was down with 1,000 events queued; "
                + "\(successes.count) after it came back")
        #expect(requestsWhileDown < 60, "a handful, not 1,000 × attempts")
        #expect(final?["successful_deliveries"] == 1000)
        #expect(final?["failed_deliveries"] == 0)
        #expect(Set(successes).count == 1000 && successes.count == 1000, "each event arrived once after the receiver came back")
        #expect(try await Self.health(api, id)["state"] == "healthy")
    }

    /// A receiver that hangs until the timeout must not slow another endpoint.
    @Test func aHangingEndpointDoesNotSlowAFastOne() async throws {
        let receiver = try await TestReceiver.start { _, request in
            TestReceiver.Reply(delay: request.path.hasSuffix("/hang") ? .seconds(5) : .zero)
        }
        defer { receiver.stop() }
        var configuration = try TestServer.makeConfiguration()
        configuration.worker.timeout = .seconds(2)
        let server = try await TestServer.start(configuration)
        defer { Task { try await server.stop() } }
        let api = server.api
        let base = "http://127.0.0.1:\(receiver.port)"
        func sendAll(_ type: String) async throws {
            let batch: JSONValue = .array((0..<200).map { ["type": .string(type), "data": ["i": .int($0)]] })
            #expect(try await api.post("/events", batch).status == 202)
        }
        func timeToFinish(_ id: String) async throws -> Duration {
            let started = ContinuousClock.now
            _ = try await api.waitForDeliveries(webhookID: id, timeout: .seconds(60)) { list in
                list.count == 200 && list.allSatisfy { $0["status"] == "success" }
            }
            return ContinuousClock.now - started
        }
        let (alone, _) = try await api.createWebhook(url: "\(base)/alone", events: ["user.created"])
        try await sendAll("user.created")
        let aloneTime = try await timeToFinish(alone)

        let (fast, _) = try await api.createWebhook(url: "\(base)/fast", events: ["node.created"])
        let (hanging, _) = try await api.createWebhook(url: "\(base)/hang", events: ["node.created"])
        try await sendAll("node.created")
        let mixedTime = try await timeToFinish(fast)
        print("isolation: 200 deliveries to a fast endpoint took \(aloneTime) alone and \(mixedTime) beside one that hangs")
        #expect(mixedTime < aloneTime * 3 + .seconds(4), "the hanging endpoint held the fast one back")
        // The fast deliveries may all be done before the first 2 s timeouts are recorded.
        var hangHealth = try await Self.health(api, hanging)
        let deadline = ContinuousClock.now + .seconds(15)
        while hangHealth["state"] == "healthy", ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            hangHealth = try await Self.health(api, hanging)
        }
        #expect(hangHealth["state"] != "healthy", "timeouts count as failures")
    }
}
