import Foundation
import Synchronization
import Testing
import WirehookCore

/// Several `wirehook serve` processes sharing one PostgreSQL queue (PostgreSQL pass only).
@Suite(.serialized, .enabled(if: TestDatabase.baseURL != nil), .timeLimit(.minutes(10)))
struct MultiProcessTests {
    static let eventCount = 10_000
    static let endpoints = ["/a", "/b", "/c"]
    static let concurrency = 64

    /// One shared database and three processes on it, each with its own data directory.
    final class Cluster: Sendable {
        let processes: [ServerProcess]
        let receiver: TestReceiver
        let counter: DeliveryCounter

        init(processes: [ServerProcess], receiver: TestReceiver, counter: DeliveryCounter) {
            self.processes = processes
            self.receiver = receiver
            self.counter = counter
        }

        static func start() async throws -> Cluster {
            let counter = DeliveryCounter()
            let receiver = try await TestReceiver.start { _, request in
                counter.count(request.path + " " + (request.header("webhook-id") ?? "?"))
                return TestReceiver.Reply()
            }
            guard let url = try TestDatabase.makeIfEnabled() else { throw TestFailure("needs PostgreSQL") }
            let environment = [
                "WIREHOOK_DATABASE_URL": url, "WIREHOOK_CONCURRENCY": "\(MultiProcessTests.concurrency)",
                "WIREHOOK_TIMEOUT": "2s", "WIREHOOK_RETRY_SCHEDULE": "500ms,500ms,500ms,500ms,500ms,500ms",
                "WIREHOOK_LOG_LEVEL": "info",
            ]
            // Started together, so the migrations race as they would in a real roll-out.
            let processes = try await withThrowingTaskGroup(of: ServerProcess.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        try await ServerProcess.start(dataDirectory: TemporaryDirectory.make(), environment: environment)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for path in MultiProcessTests.endpoints {
                _ = try await processes[0].api.createWebhook(url: "http://127.0.0.1:\(receiver.port)\(path)", events: ["*"])
            }
            return Cluster(processes: processes, receiver: receiver, counter: counter)
        }

        /// Sends `batches` of 500 events round-robin over the processes still in `alive`;
        /// returns the ids each 202 acknowledged.
        func submit(batches: Range<Int>, alive: @Sendable () -> [ServerProcess]) async throws -> Set<String> {
            var accepted: Set<String> = []
            for batchNumber in batches {
                let batch: JSONValue = .array(
                    (0..<500).map { i in ["type": "user.modified", "data": ["batch": .int(batchNumber), "i": .int(i)]] })
                let targets = alive()
                let reply = try await targets[batchNumber % targets.count].api.post("/events", batch)
                guard reply.status == 202 else { continue }
                accepted.formUnion(reply["events"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [])
            }
            return accepted
        }

        /// Waits until every endpoint has seen every accepted event; returns how many are missing.
        func waitForAll(_ accepted: Set<String>, timeout: Duration) async throws -> Int {
            let deadline = ContinuousClock.now + timeout
            var missing = 0
            repeat {
                let counts = counter.snapshot
                missing = 0
                for id in accepted {
                    for path in MultiProcessTests.endpoints where counts["\(path) \(id)"] == nil { missing += 1 }
                }
                if missing == 0 { return 0 }
                try await Task.sleep(for: .milliseconds(250))
            } while ContinuousClock.now < deadline
            return missing
        }

        var duplicates: Int { counter.snapshot.values.reduce(0) { $0 + max(0, $1 - 1) } }

        func stop(_ running: [ServerProcess]) async -> [Int32] {
            var statuses: [Int32] = []
            for process in running { statuses.append(await process.terminate()) }
            receiver.stop()
            return statuses
        }
    }

    /// An `api` process takes events in, a `worker` process sends them; with a one-minute poll
    /// interval, only LISTEN/NOTIFY can make the worker deliver within seconds.
    @Test func workersWakeOnNotifyFromAnotherProcess() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        guard let url = try TestDatabase.makeIfEnabled() else { throw TestFailure("needs PostgreSQL") }
        let common = ["WIREHOOK_DATABASE_URL": url, "WIREHOOK_POLL_INTERVAL": "60s", "WIREHOOK_LOG_LEVEL": "info"]
        let api = try await ServerProcess.start(
            dataDirectory: TemporaryDirectory.make(), environment: common.merging(["WIREHOOK_ROLE": "api"]) { $1 })
        let worker = try await ServerProcess.start(
            dataDirectory: TemporaryDirectory.make(), environment: common.merging(["WIREHOOK_ROLE": "worker"]) { $1 })
        _ = try await api.api.createWebhook(url: receiver.url)
        // Past the worker's first poll at start-up, so the next one is a minute away.
        try await Task.sleep(for: .seconds(1))
        let started = ContinuousClock.now
        for i in 0..<5 {
            try await api.api.sendEvent("user.created", data: ["i": .int(i)])
            try await receiver.waitFor(count: i + 1, timeout: .seconds(15))
        }
        let elapsed = ContinuousClock.now - started
        print("api + worker roles: 5 events sent one by one through the api process, all delivered by the worker in \(elapsed)")
        #expect(elapsed < .seconds(30), "each delivery came long before the 60 s poll")
        #expect(try await worker.api.get("/webhooks").status == 404, "a worker serves no API")
        #expect(await api.terminate() == 0)
        #expect(await worker.terminate() == 0)
    }

    @Test func threeProcessesDeliverEachDeliveryExactlyOnce() async throws {
        let cluster = try await Cluster.start()
        let started = ContinuousClock.now
        let processes = cluster.processes
        let accepted = try await cluster.submit(batches: 0..<(Self.eventCount / 500)) { processes }
        #expect(accepted.count == Self.eventCount)
        let missing = try await cluster.waitForAll(accepted, timeout: .seconds(300))
        let elapsed = ContinuousClock.now - started
        // Late duplicates would arrive after the last first delivery; give them a moment.
        try await Task.sleep(for: .seconds(1))
        let duplicates = cluster.duplicates
        let statuses = await cluster.stop(processes)
        let expected = accepted.count * Self.endpoints.count
        print(
            "3 processes, one PostgreSQL: \(accepted.count) events, \(expected) deliveries, \(missing) missing, "
                + "\(duplicates) duplicates, \(elapsed) from first submit to last delivery")
        #expect(missing == 0)
        #expect(duplicates == 0, "no failure, so every delivery arrives exactly once")
        #expect(cluster.receiver.count == expected)
        #expect(statuses == [0, 0, 0])
    }

    /// A panel retrying quickly: the same event id sent to all three processes at the same
    /// moment, for 100 ids. The database's unique key accepts each id once; the other two answers
    /// are duplicates carrying the stored delivery count, and each endpoint gets each id once.
    @Test func oneIDSentToThreeProcessesAtOnceIsAcceptedOnce() async throws {
        let cluster = try await Cluster.start()
        let processes = cluster.processes
        let ids = (0..<100).map { "evt_race_\($0)_" + UUID().uuidString.prefix(8) }
        var answers: [String: [(status: Int, duplicate: Bool, deliveries: Int)]] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 10) {
            try await withThrowingTaskGroup(of: (String, Int, Bool, Int).self) { group in
                for id in ids[chunk..<(chunk + 10)] {
                    for process in processes {
                        group.addTask {
                            let reply = try await process.api.post(
                                "/events", ["id": .string(id), "type": "user.modified", "data": ["username": "race"]])
                            return (id, reply.status, reply["duplicate"]?.boolValue ?? false, reply["deliveries"]?.intValue ?? -1)
                        }
                    }
                }
                for try await (id, status, duplicate, deliveries) in group {
                    answers[id, default: []].append((status, duplicate, deliveries))
                }
            }
        }
        let expected = ids.count * Self.endpoints.count
        let missing = try await cluster.waitForAll(Set(ids), timeout: .seconds(120))
        // Late duplicates would arrive after the last first delivery; give them a moment.
        try await Task.sleep(for: .seconds(2))
        let duplicates = cluster.duplicates
        let statuses = await cluster.stop(processes)
        print("3 processes, 100 ids each sent to all three at once: \(cluster.receiver.count) deliveries for \(expected) expected")
        for id in ids {
            let replies = answers[id] ?? []
            #expect(replies.count == 3 && replies.allSatisfy { $0.status == 202 }, "\(id): \(replies)")
            #expect(replies.filter { !$0.duplicate }.count == 1, "\(id) accepted once: \(replies)")
            #expect(replies.allSatisfy { $0.deliveries == Self.endpoints.count }, "\(id): \(replies)")
        }
        #expect(missing == 0)
        #expect(duplicates == 0)
        #expect(cluster.receiver.count == expected)
        #expect(statuses == [0, 0, 0])
    }

    /// The breaker lives in the shared endpoint row: opened by whichever process saw the failures,
    /// it holds in all three, only one of them probes at a time, and the backlog drains once.
    @Test func aBreakerOpenedByOneProcessHoldsInEveryProcess() async throws {
        let up = Atomic<Bool>(false)
        let whileDown = Atomic<Int>(0)
        let counter = DeliveryCounter()
        let receiver = try await TestReceiver.start { _, request in
            if up.load(ordering: .relaxed) {
                counter.count(request.header("webhook-id") ?? "?")
                return TestReceiver.Reply()
            }
            whileDown.add(1, ordering: .relaxed)
            return TestReceiver.Reply(status: 503)
        }
        defer { receiver.stop() }
        guard let url = try TestDatabase.makeIfEnabled() else { throw TestFailure("needs PostgreSQL") }
        let environment = [
            "WIREHOOK_DATABASE_URL": url, "WIREHOOK_RETRY_SCHEDULE": "300ms,300ms,300ms", "WIREHOOK_MAX_PER_ENDPOINT": "8",
            "WIREHOOK_TIMEOUT": "2s", "WIREHOOK_LOG_LEVEL": "info",
        ]
        var processes: [ServerProcess] = []
        for _ in 0..<3 {
            processes.append(try await ServerProcess.start(dataDirectory: TemporaryDirectory.make(), environment: environment))
        }
        let (id, _) = try await processes[0].api.createWebhook(url: receiver.url)
        for (i, process) in processes.enumerated() {
            let batch: JSONValue = .array((0..<200).map { ["type": "user.created", "data": ["p": .int(i), "i": .int($0)]] })
            #expect(try await process.api.post("/events", batch).status == 202)
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while try await processes[1].api.get("/webhooks/\(id)")["webhook"]?["health"]?["state"] != "paused",
            ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(100))
        }
        try await Task.sleep(for: .seconds(3))
        let requestsWhileDown = whileDown.load(ordering: .relaxed)
        up.store(true, ordering: .relaxed)
        let drained = ContinuousClock.now + .seconds(120)
        var stats: JSONValue? = nil
        repeat {
            try await Task.sleep(for: .milliseconds(250))
            stats = try await processes[2].api.get("/webhooks/\(id)/stats")["delivery_stats"]
        } while stats?["successful_deliveries"] != 600 && ContinuousClock.now < drained
        try await Task.sleep(for: .seconds(1))
        var statuses: [Int32] = []
        for process in processes { statuses.append(await process.terminate()) }
        let seen = counter.snapshot
        print("3 processes, breaker: \(requestsWhileDown) requests while the receiver was down with 600 events queued")
        #expect(requestsWhileDown < 80, "at most each process's in-flight cap before the breaker opened, then probes")
        #expect(stats?["successful_deliveries"] == 600)
        #expect(stats?["failed_deliveries"] == 0)
        #expect(seen.count == 600 && seen.values.allSatisfy { $0 == 1 }, "each event arrived once after the receiver came back")
        #expect(statuses == [0, 0, 0])
    }

    @Test func killNineOfOneProcessLosesNothing() async throws {
        let cluster = try await Cluster.start()
        let processes = cluster.processes
        let victim = processes[1]
        let killed = Atomic<Bool>(false)
        let alive: @Sendable () -> [ServerProcess] = {
            killed.load(ordering: .relaxed) ? [processes[0], processes[2]] : processes
        }
        let total = Self.eventCount / 500
        // A third of the events, then the kill while those are being delivered, then the rest.
        var accepted = try await cluster.submit(batches: 0..<(total / 3), alive: alive)
        try await cluster.receiver.waitFor(count: 3_000, timeout: .seconds(120))
        victim.kill9()
        killed.store(true, ordering: .relaxed)
        let receivedAtKill = cluster.receiver.count
        accepted.formUnion(try await cluster.submit(batches: (total / 3)..<total, alive: alive))
        #expect(accepted.count == Self.eventCount)
        let missing = try await cluster.waitForAll(accepted, timeout: .seconds(300))
        try await Task.sleep(for: .seconds(1))
        let duplicates = cluster.duplicates
        let statuses = await cluster.stop([processes[0], processes[2]])
        print(
            "3 processes, kill -9 of one after \(receivedAtKill) deliveries: \(accepted.count) events, "
                + "\(accepted.count * Self.endpoints.count) deliveries, \(missing) missing, "
                + "\(duplicates) duplicates (what the killed process had in flight)")
        #expect(missing == 0)
        // A worker holds at most `concurrency` unrecorded attempts, so only those can repeat.
        #expect(duplicates <= Self.concurrency)
        #expect(statuses == [0, 0])
    }
}

/// Deliveries seen per "path webhook-id", counted by the receiver.
final class DeliveryCounter: Sendable {
    private let seen = Mutex<[String: Int]>([:])

    func count(_ key: String) { seen.withLock { $0[key, default: 0] += 1 } }
    var snapshot: [String: Int] { seen.withLock { $0 } }
}
