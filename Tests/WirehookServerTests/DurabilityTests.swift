import Foundation
import Synchronization
import Testing
import WirehookCore

/// Accepted means never lost: across restarts, and across `kill -9` mid-delivery.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct DurabilityTests {
    @Test func pendingRetriesSurviveARestart() async throws {
        let receiverUp = Atomic<Bool>(false)
        let receiver = try await TestReceiver.start { _, _ in
            TestReceiver.Reply(status: receiverUp.load(ordering: .relaxed) ? 200 : 500)
        }
        defer { receiver.stop() }
        let dataDirectory = TemporaryDirectory.make()
        var configuration = try TestServer.makeConfiguration(
            // Long enough that no delivery runs out of retries before the restart, even on a busy machine.
            dataDirectory: dataDirectory, retry: "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s")
        // Every event is to be attempted (and fail) before the restart; the breaker would hold them back.
        configuration.breakerThreshold = 0
        let first = try await TestServer.start(configuration)
        let (id, _) = try await first.api.createWebhook(url: receiver.url)
        var accepted: Set<String> = []
        for i in 0..<40 {
            let reply = try await first.api.sendEvent("user.created", data: ["i": .int(i)])
            accepted.insert(reply["event"]?["id"]?.stringValue ?? "")
        }
        try await receiver.waitFor(count: 40)
        try await first.stop()

        receiverUp.store(true, ordering: .relaxed)
        let second = try await TestServer.start(configuration)
        defer { Task { try await second.stop() } }
        let deliveries = try await second.api.waitForDeliveries(webhookID: id) { list in
            list.count == 40 && list.allSatisfy { $0["status"] == "success" }
        }
        #expect(Set(deliveries.compactMap { $0["event_id"]?.stringValue }) == accepted)
        let delivered = Set(receiver.received.compactMap { $0.header("webhook-id") })
        #expect(accepted.isSubset(of: delivered))
    }

    @Test func killNineMidDeliveryLosesNothing() async throws {
        let seen = Mutex<[String: Int]>([:])
        let receiver = try await TestReceiver.start { _, request in
            let key = request.path + " " + (request.header("webhook-id") ?? "?")
            seen.withLock { $0[key, default: 0] += 1 }
            return TestReceiver.Reply(delay: .milliseconds(5))
        }
        defer { receiver.stop() }
        let dataDirectory = TemporaryDirectory.make()
        var environment = [
            "WIREHOOK_RETRY_SCHEDULE": "200ms,200ms,200ms,200ms,200ms", "WIREHOOK_CONCURRENCY": "64", "WIREHOOK_TIMEOUT": "2s",
        ]
        if let url = try TestDatabase.makeIfEnabled() { environment["WIREHOOK_DATABASE_URL"] = url }
        let first = try await ServerProcess.start(dataDirectory: dataDirectory, environment: environment)
        let endpoints = ["/a", "/b"]
        for path in endpoints {
            _ = try await first.api.createWebhook(url: "http://127.0.0.1:\(receiver.port)\(path)", events: ["user.*"])
        }

        // Keep submitting batches until the process dies; only 202-acknowledged events count.
        let accepted = Mutex<Set<String>>([])
        let sender = Task {
            var batchNumber = 0
            while !Task.isCancelled {
                let batch: JSONValue = .array((0..<100).map { i in ["type": "user.modified", "data": ["b": .int(batchNumber), "i": .int(i)]] })
                batchNumber += 1
                guard let reply = try? await first.api.post("/events", batch), reply.status == 202 else { return }
                let ids = reply["events"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                accepted.withLock { $0.formUnion(ids) }
                if batchNumber >= 40 { return }
            }
        }
        try await receiver.waitFor(count: 1500, timeout: .seconds(60))
        first.kill9()
        _ = await sender.value
        let acknowledged = accepted.withLock { $0 }
        #expect(acknowledged.count >= 1000, "only \(acknowledged.count) events were acknowledged before the kill")
        let beforeRestart = receiver.count

        let second = try await ServerProcess.start(dataDirectory: dataDirectory, environment: environment)
        let expected = acknowledged.count * endpoints.count
        let deadline = ContinuousClock.now + .seconds(120)
        var missing = expected
        while ContinuousClock.now < deadline {
            let counts = seen.withLock { $0 }
            missing = 0
            for id in acknowledged {
                for path in endpoints where counts["\(path) \(id)"] == nil { missing += 1 }
            }
            if missing == 0 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let status = await second.terminate()
        let counts = seen.withLock { $0 }
        let duplicates = counts.values.reduce(0) { $0 + max(0, $1 - 1) }
        print(
            "kill -9 durability: \(acknowledged.count) events acknowledged, \(expected) deliveries expected, "
                + "\(beforeRestart) received before the kill, \(missing) missing, \(duplicates) duplicates (in flight at the kill)")
        #expect(missing == 0)
        #expect(status == 0, "graceful SIGTERM exit status")
    }

    @Test func sigtermExitsCleanly() async throws {
        let server = try await ServerProcess.start(dataDirectory: TemporaryDirectory.make())
        #expect(try await server.api.get("/health").status == 200)
        #expect(await server.terminate() == 0)
    }

    @Test func metricsAreServedInPrometheusFormatBehindTheToken() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        var environment: [String: String] = [:]
        if let url = try TestDatabase.makeIfEnabled() { environment["WIREHOOK_DATABASE_URL"] = url }
        let server = try await ServerProcess.start(dataDirectory: TemporaryDirectory.make(), environment: environment)
        _ = try await server.api.createWebhook(url: receiver.url)
        try await server.api.sendEvent("user.created")
        try await receiver.waitFor(count: 1)
        #expect(try await APIClient(baseURL: server.baseURL, token: nil).get("/metrics").status == 401)
        var text = ""
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let reply = try await server.api.request(.GET, "/metrics")
            #expect(reply.status == 200)
            text = reply.rawText
            if text.contains(#"wirehook_deliveries_finished_total{status="success"} 1"#) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(text.contains("wirehook_events_accepted_total 1"))
        #expect(text.contains(#"wirehook_deliveries_finished_total{status="success"} 1"#))
        #expect(text.contains("wirehook_delivery_latency_seconds"))
        #expect(text.contains(#"wirehook_endpoints{health="healthy"} 1"#), "\(text)")

        // A receiver that is gone: the disable is logged at notice and counted.
        let gone = try await TestReceiver.start { _, _ in TestReceiver.Reply(status: 410) }
        defer { gone.stop() }
        _ = try await server.api.createWebhook(url: gone.url, events: ["node.created"])
        try await server.api.sendEvent("node.created")
        let disabledBy = ContinuousClock.now + .seconds(15)
        repeat {
            try await Task.sleep(for: .milliseconds(100))
            text = try await server.api.request(.GET, "/metrics").rawText
        } while !text.contains(#"wirehook_endpoints{health="disabled"} 1"#) && ContinuousClock.now < disabledBy
        #expect(text.contains(#"wirehook_endpoints{health="disabled"} 1"#), "\(text)")
        #expect(text.contains(#"wirehook_endpoint_health_transitions_total{to="disabled"} 1"#), "\(text)")
        #expect(await server.terminate() == 0)
        #expect(server.output.contains("Endpoint disabled"), "the disable is logged: \(server.output.suffix(2000))")
    }

    /// The child's standard output is a log file, not a terminal: a log is where others read
    /// tokens, so only the file that holds it is named (a terminal would be shown the token).
    @Test func generatedAdminTokenIsStoredPrivatelyAndOnlyItsPathReachesALog() async throws {
        let dataDirectory = TemporaryDirectory.make()
        let first = try await ServerProcess.start(dataDirectory: dataDirectory, environment: ["WIREHOOK_ADMIN_TOKEN": ""])
        let path = dataDirectory + "/admin-token"
        let stored = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(stored.hasPrefix("whadm_"))
        #expect(!first.output.contains(stored), "the token must not reach a log: \(first.output)")
        #expect(first.output.contains("Generated an admin token; it is in \(path)"), "\(first.output)")
        let api = APIClient(baseURL: first.baseURL, token: stored)
        #expect(try await api.get("/webhooks").status == 200)
        _ = await first.terminate()
        let second = try await ServerProcess.start(dataDirectory: dataDirectory, environment: ["WIREHOOK_ADMIN_TOKEN": ""])
        #expect(!second.output.contains(stored) && !second.output.contains("Generated"), "said only when generated")
        #expect(try await APIClient(baseURL: second.baseURL, token: stored).get("/webhooks").status == 200)
        _ = await second.terminate()
    }
}
