import Foundation
import Synchronization
import Testing
import WirehookCore

/// PostgreSQL stopped with SIGSTOP (connections open, nothing answers): the API answers 503 in
/// time, `/health` names the database, the worker neither hangs on a call nor spins, and after
/// SIGCONT everything accepted is delivered. Runs in its own pass of scripts/test
/// (`WIREHOOK_TEST_SIGSTOP=1`) with a cluster of its own, so stopping it disturbs no other test.
@Suite(
    .serialized, .enabled(if: ProcessInfo.processInfo.environment["WIREHOOK_TEST_SIGSTOP"] == "1"),
    .timeLimit(.minutes(5)))
struct DatabaseStopTests {
    static let ingestTimeout: Duration = .seconds(2)

    @Test func aStoppedDatabaseIsReportedAndNothingAcceptedIsLost() async throws {
        try await ThrowawayPostgres.with { cluster in
            let seen = Mutex<[String: Int]>([:])
            // Slow answers, so attempts are in flight when the database stops and their results
            // have to wait for it.
            let receiver = try await TestReceiver.start { _, request in
                seen.withLock { $0[request.header("webhook-id") ?? "?", default: 0] += 1 }
                return TestReceiver.Reply(delay: .milliseconds(500))
            }
            defer { receiver.stop() }
            let server = try await ServerProcess.start(
                dataDirectory: TemporaryDirectory.make(),
                environment: [
                    "WIREHOOK_DATABASE_URL": cluster.url, "WIREHOOK_INGEST_TIMEOUT": "2s",
                    "WIREHOOK_DATABASE_TIMEOUT": "1s", "WIREHOOK_TIMEOUT": "2s", "WIREHOOK_POLL_INTERVAL": "100ms",
                    "WIREHOOK_RETRY_SCHEDULE": "200ms,200ms,200ms,200ms,200ms", "WIREHOOK_INGEST_QUEUE_LIMIT": "4",
                    "WIREHOOK_LOG_LEVEL": "info",
                ])
            var exited = false
            defer { if !exited { server.kill9() } }
            let api = server.api
            let (webhookID, _) = try await api.createWebhook(url: receiver.url)
            var accepted: Set<String> = []
            for i in 0..<20 {
                let reply = try await api.post(
                    "/events", ["type": "user.created", "id": .string("before-\(i)"), "data": [:]])
                #expect(reply.status == 202)
                if reply.status == 202 { accepted.insert("before-\(i)") }
            }

            // Read before the stop: a worker call that starts at the stop reaches its deadline a
            // second later, which on a loaded machine can come before a read made after it.
            let failuresBefore = try await Self.metric(
                api, "wirehook_worker_store_failures_total", matching: #"reason="timeout""#)
            try cluster.stop()
            let stoppedAt = ContinuousClock.now

            // The API answers within its deadline, with a reason and a time to come back.
            let during = try await withThrowingTaskGroup(of: (String, APIClient.Reply, Duration).self) { group in
                for i in 0..<8 {
                    group.addTask {
                        let started = ContinuousClock.now
                        let reply = try await api.post(
                            "/events", ["type": "user.created", "id": .string("during-\(i)"), "data": [:]])
                        return ("during-\(i)", reply, ContinuousClock.now - started)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for (id, reply, took) in during {
                #expect(reply.status == 503, "\(id): \(reply.status) \(reply.rawText)")
                #expect(["unavailable", "overloaded"].contains(reply.errorCode ?? ""), "\(reply.rawText)")
                #expect(reply.headers.first(name: "Retry-After").flatMap(Int.init) != nil)
                #expect(took < Self.ingestTimeout + .seconds(8), "\(id) was answered after \(took)")
            }
            let healthStarted = ContinuousClock.now
            let health = try await APIClient(baseURL: server.baseURL, token: nil).get("/health")
            #expect(ContinuousClock.now - healthStarted < .seconds(10))
            #expect(health.status == 503)
            #expect(health["database"] == "unreachable")
            #expect(health["store"] == "postgresql")
            #expect(health["error"]?.stringValue?.contains("postgresql") == true, "\(health.rawText)")

            // The worker gives up on calls at their deadline (so it is not stuck in one), and
            // while the database stays away it makes only a few calls and uses little CPU.
            let sinceStop = ContinuousClock.now - stoppedAt
            if sinceStop < .seconds(3) { try await Task.sleep(for: .seconds(3) - sinceStop) }
            let callsBefore = try await Self.metric(api, "wirehook_worker_store_calls_total")
            let cpuBefore = try Self.cpuSeconds(server.process.processIdentifier)
            try await Task.sleep(for: .seconds(4))
            let cpu = try Self.cpuSeconds(server.process.processIdentifier) - cpuBefore
            let calls = try await Self.metric(api, "wirehook_worker_store_calls_total") - callsBefore
            let timeouts = try await Self.metric(
                api, "wirehook_worker_store_failures_total", matching: #"reason="timeout""#)
            print(
                "database stopped: worker store calls in 4 s: \(calls), CPU: \(cpu) s, timeouts: \(timeouts - failuresBefore)"
            )
            #expect(
                timeouts - failuresBefore >= 1,
                "no worker store call ran into its deadline: the worker waits on the database")
            #expect(calls <= 10, "\(calls) worker store calls in 4 s against a stopped database")
            #expect(cpu < 2, "the server used \(cpu) s of CPU in 4 s while the database was stopped")

            cluster.resume()
            // Everything refused is sent again with the same id, as the answer said.
            for (id, _, _) in during {
                let deadline = ContinuousClock.now + .seconds(30)
                var status = 0
                while ContinuousClock.now < deadline {
                    status = try await api.post("/events", ["type": "user.created", "id": .string(id), "data": [:]])
                        .status
                    if status == 202 { break }
                    try await Task.sleep(for: .milliseconds(250))
                }
                #expect(status == 202, "\(id) was not accepted after the database came back")
                if status == 202 { accepted.insert(id) }
            }
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, !accepted.isSubset(of: Set(seen.withLock { $0.keys })) {
                try await Task.sleep(for: .milliseconds(100))
            }
            try await Task.sleep(for: .milliseconds(500))
            let counts = seen.withLock { $0 }
            let duplicates = counts.values.reduce(0) { $0 + max(0, $1 - 1) }
            print("after SIGCONT: \(accepted.count) accepted, \(counts.count) delivered, \(duplicates) sent twice")
            #expect(Set(counts.keys) == accepted, "delivered ids differ from the accepted ones")
            // The log matches what the receiver saw: results that waited out the stop were
            // recorded once each, neither dropped (and sent again) nor written twice.
            let log = try await api.waitForDeliveries(webhookID: webhookID) { list in
                list.count == accepted.count && list.allSatisfy { $0["status"] == "success" }
            }
            for delivery in log {
                let id = delivery["event_id"]?.stringValue ?? "?"
                let deliveryID = delivery["id"]?.stringValue ?? "?"
                let attempts = try await api.get("/webhooks/\(webhookID)/deliveries/\(deliveryID)")["delivery"]?[
                    "attempt_log"]?
                    .arrayValue?.count
                #expect(
                    attempts == counts[id],
                    "\(id): \(attempts ?? 0) attempts logged, the receiver saw \(counts[id] ?? 0)")
            }
            exited = true
            #expect(await server.terminate() == 0)
        }
    }

    /// The sum of a Prometheus metric's samples whose line contains `matching`.
    static func metric(_ api: APIClient, _ name: String, matching: String = "") async throws -> Double {
        let text = try await api.request(.GET, "/metrics").rawText
        return text.split(separator: "\n")
            .filter { $0.hasPrefix(name) && (matching.isEmpty || $0.contains(matching)) }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0, +)
    }

    /// User plus system CPU time of a process, from /proc.
    static func cpuSeconds(_ pid: Int32) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        guard let close = stat.lastIndex(of: ")") else { throw TestFailure("unreadable /proc/\(pid)/stat") }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw TestFailure("unreadable /proc/\(pid)/stat")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
