import AsyncHTTPClient
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import WirehookCore
import WirehookDelivery
import WirehookVerify

/// The worker on its own: an in-memory queue, a real HTTP sender and real receivers.
@Suite(.timeLimit(.minutes(2)))
struct DeliveryWorkerTests {
    static let logger = Logger(label: "worker-test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func endpoint(_ id: String, url: String) -> Endpoint {
        Endpoint(
            id: id, url: url, events: ["*"], description: "", active: true, format: "standard",
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", createdAt: Date(), updatedAt: Date())
    }

    /// Runs a worker over `queue` until `done` holds or 30 s pass, then stops it gracefully.
    static func runWorker(
        _ queue: InMemoryDeliveryQueue, policy: RetryPolicy, until done: @Sendable () async -> Bool
    ) async throws {
        let client = HTTPSender.makeClient()
        let worker = DeliveryWorker(
            store: queue, sender: HTTPSender(client: client, targets: .allowingPrivate), formats: .standard, policy: policy,
            configuration: WorkerConfiguration(concurrency: 8, timeout: .seconds(10), pollInterval: .milliseconds(20)),
            signal: WorkSignal(), logger: logger)
        let group = ServiceGroup(services: [worker], logger: logger)
        let task = Task { try await group.run() }
        let deadline = ContinuousClock.now + .seconds(30)
        while !(await done()), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        await group.triggerGracefulShutdown()
        try await task.value
        try await client.shutdown()
    }

    @Test func deliversRetriesAndGivesUpFollowingThePolicy() async throws {
        let flakyCalls = CallCounter()
        let receiver = try await TestReceiver.start { _, request in
            switch request.path {
            case "/down": return TestReceiver.Reply(status: 503)
            case "/flaky": return TestReceiver.Reply(status: flakyCalls.next() == 0 ? 500 : 204)
            default: return TestReceiver.Reply()
            }
        }
        defer { receiver.stop() }
        let queue = InMemoryDeliveryQueue()
        let base = "http://127.0.0.1:\(receiver.port)"
        let now = Date()
        var sequences: [String: Int64] = [:]
        for name in ["ok", "flaky", "down"] {
            let body = Array(#"{"type":"user.created","timestamp":"2026-01-01T00:00:00Z","data":{"n":"\#(name)"}}"#.utf8)
            sequences[name] = await queue.add(
                endpoint: Self.endpoint("wh_\(name)", url: "\(base)/\(name)"), eventID: "evt_\(name)",
                eventType: "user.created", body: body, due: now)
        }
        let policy = RetryPolicy(delays: [.milliseconds(50), .milliseconds(50)], jitter: 0)
        try await Self.runWorker(queue, policy: policy) { await queue.unfinished == 0 }

        let ok = try #require(await queue.entry(sequences["ok"]!))
        #expect(ok.status == .success)
        #expect(ok.attempts.map(\.responseStatus) == [200])
        let flaky = try #require(await queue.entry(sequences["flaky"]!))
        #expect(flaky.status == .success)
        #expect(flaky.attempts.map(\.responseStatus) == [500, 204])
        let down = try #require(await queue.entry(sequences["down"]!))
        #expect(down.status == .failed, "three attempts, the policy's maximum, then it gives up")
        #expect(down.attempts.map(\.responseStatus) == [503, 503, 503])
        #expect(receiver.count == 1 + 2 + 3)

        // What went out is the stored body, signed for the endpoint's secret.
        let sent = try #require(receiver.received.first { $0.path == "/ok" })
        #expect(sent.body == ok.claim.body)
        #expect(sent.header("webhook-id") == "evt_ok")
        let verifier = try WebhookVerifier(formatName: "standard", secret: ok.claim.secret)
        #expect(throws: Never.self) { try verifier.verify(body: sent.body, headers: sent.headers) }
    }

    @Test func aBusyEndpointGetsNoMoreThanItsShareOfSlots() async throws {
        let receiver = try await TestReceiver.start { _, request in
            TestReceiver.Reply(delay: request.path == "/slow" ? .seconds(2) : .zero)
        }
        defer { receiver.stop() }
        let queue = InMemoryDeliveryQueue()
        let base = "http://127.0.0.1:\(receiver.port)"
        let slow = Self.endpoint("wh_slow", url: "\(base)/slow")
        let fast = Self.endpoint("wh_fast", url: "\(base)/fast")
        let now = Date()
        for i in 0..<30 {
            await queue.add(endpoint: slow, eventID: "evt_s\(i)", eventType: "user.created", body: Array("{}".utf8), due: now)
        }
        var fastSequences: [Int64] = []
        for i in 0..<5 {
            fastSequences.append(
                await queue.add(endpoint: fast, eventID: "evt_f\(i)", eventType: "user.created", body: Array("{}".utf8), due: now))
        }
        let firstFastDone = FirstTime()
        let fastOnes = fastSequences
        try await Self.runWorker(queue, policy: .default) {
            var fastDone = true
            for sequence in fastOnes where await queue.entry(sequence)?.status != .success { fastDone = false }
            if fastDone { firstFastDone.mark(slowRemaining: await queue.unfinished) }
            return await queue.unfinished == 0
        }
        // With 8 slots and a cap of 6 per endpoint, the fast endpoint is never queued behind the
        // slow one: it is done before the first slow answers (2 s) come back, or at worst with
        // the first six. Without the cap the slow endpoint takes all 8 slots and at least 8 slow
        // answers come first.
        let slowLeft = try #require(firstFastDone.slowRemaining)
        #expect(slowLeft >= 24, "the fast endpoint waited for the slow one (\(30 - slowLeft) slow deliveries finished first)")
    }
}

final class CallCounter: Sendable {
    private let value = Mutex<Int>(0)
    func next() -> Int { value.withLock { v in defer { v += 1 }; return v } }
}

final class FirstTime: Sendable {
    private let value = Mutex<Int?>(nil)
    func mark(slowRemaining: Int) { value.withLock { if $0 == nil { $0 = slowRemaining } } }
    var slowRemaining: Int? { value.withLock { $0 } }
}
