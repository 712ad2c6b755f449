import Foundation
import Testing
import WirehookCore
import WirehookServer

/// Bounded under overload: a slow database costs clients a 503 and a retry, never the process
/// its memory, and nothing answered 202 is lost. The store is slowed for real, by holding its
/// write lock from another connection.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct OverloadTests {
    struct Sent: Sendable {
        var id: String
        var reply: APIClient.Reply
    }

    static func send(_ api: APIClient, id: String, data: JSONValue = ["n": 1]) async throws -> Sent {
        Sent(id: id, reply: try await api.post("/events", ["type": "user.created", "id": .string(id), "data": data]))
    }

    /// A refusal must say what happened and when to come back.
    static func expectRefused(_ sent: Sent, code: String = "overloaded") {
        #expect(sent.reply.status == 503)
        #expect(sent.reply["success"] == false)
        #expect(sent.reply.errorCode == code, "\(sent.reply.rawText)")
        #expect((sent.reply["error"]?["message"]?.stringValue ?? "").isEmpty == false)
        let retryAfter = sent.reply.headers.first(name: "Retry-After").flatMap(Int.init)
        #expect((retryAfter ?? 0) >= 1, "Retry-After: \(sent.reply.headers.first(name: "Retry-After") ?? "missing")")
    }

    /// Waits until the receiver has every id in `expected`, then a little longer, and returns what
    /// it got: the caller checks nothing else arrived.
    static func delivered(_ receiver: TestReceiver, _ expected: Set<String>) async throws -> Set<String> {
        let deadline = ContinuousClock.now + .seconds(30)
        var ids: Set<String> = []
        while ContinuousClock.now < deadline {
            ids = Set(receiver.received.compactMap { $0.header("webhook-id") })
            if expected.isSubset(of: ids) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(500))
        return Set(receiver.received.compactMap { $0.header("webhook-id") })
    }

    /// A server with one webhook on a live receiver, for the tests that then hold its write lock.
    static func serverWithWebhook(_ adjust: (inout ServerConfiguration) -> Void) async throws
        -> (server: TestServer, receiver: TestReceiver, configuration: ServerConfiguration)
    {
        var configuration = try TestServer.makeConfiguration()
        adjust(&configuration)
        let server = try await TestServer.start(configuration)
        let receiver = try await TestReceiver.start()
        _ = try await server.api.createWebhook(url: receiver.url)
        return (server, receiver, configuration)
    }

    @Test func aFullQueueAnswers503AndLosesNothingItAccepted() async throws {
        let (server, receiver, configuration) = try await Self.serverWithWebhook {
            $0.ingestLimits = IngestLimits(requests: 2, bytes: 1 << 20)
        }
        defer { Task { try await server.stop() } }
        defer { receiver.stop() }

        let lock = try await StoreWriteLock.hold(configuration)
        let flood = Task {
            try await withThrowingTaskGroup(of: Sent.self) { group in
                for i in 0..<16 { group.addTask { try await Self.send(server.api, id: "flood-\(i)") } }
                return try await group.reduce(into: [Sent]()) { $0.append($1) }
            }
        }
        // The queue holds two requests while the commit waits for the lock; the rest are refused
        // at once. Give them time to be answered before the database moves again.
        try await Task.sleep(for: .seconds(2))
        try await lock.release()
        let sent = try await flood.value

        let accepted = Set(sent.filter { $0.reply.status == 202 }.map(\.id))
        let refused = sent.filter { $0.reply.status != 202 }
        #expect(!refused.isEmpty, "a queue bounded at 2 requests took all 16 while the database was locked")
        #expect(!accepted.isEmpty)
        for sent in refused { Self.expectRefused(sent) }
        // Once the commit is through, the room it held is free again.
        let after = try await Self.send(server.api, id: "after-the-flood")
        #expect(after.reply.status == 202, "\(after.reply.rawText)")
        let expected = accepted.union([after.id])
        #expect(try await Self.delivered(receiver, expected) == expected)
    }

    @Test func theQueueIsBoundedInBytesToo() async throws {
        let (server, receiver, configuration) = try await Self.serverWithWebhook {
            $0.ingestLimits = IngestLimits(requests: 100, bytes: 2048)
        }
        defer { Task { try await server.stop() } }
        defer { receiver.stop() }
        let big: JSONValue = ["text": .string(String(repeating: "x", count: 3000))]

        let lock = try await StoreWriteLock.hold(configuration)
        let small = Task { try await Self.send(server.api, id: "small-1") }
        try await Task.sleep(for: .seconds(1))
        // 3 KB on top of what is queued is over the 2 KB bound; another small one still fits.
        let refused = try await Self.send(server.api, id: "big-1", data: big)
        let fits = Task { try await Self.send(server.api, id: "small-2") }
        try await Task.sleep(for: .milliseconds(500))
        try await lock.release()
        Self.expectRefused(refused)
        #expect(try await small.value.reply.status == 202)
        #expect(try await fits.value.reply.status == 202)
        // Alone in an empty queue, the same body is let in: the bound never refuses a body for its size alone.
        let retried = try await Self.send(server.api, id: "big-1", data: big)
        #expect(retried.reply.status == 202, "\(retried.reply.rawText)")
        let expected: Set<String> = ["small-1", "small-2", "big-1"]
        #expect(try await Self.delivered(receiver, expected) == expected)
    }

    /// Past the ingest timeout a request is answered 503 whatever the database does, and told the
    /// truth: one whose commit is under way may still be stored (and is, once the lock goes), one
    /// still queued behind it is dropped and never stored.
    @Test func aRequestPastItsDeadlineIsToldWhetherItMayBeStored() async throws {
        let (server, receiver, configuration) = try await Self.serverWithWebhook { $0.ingestTimeout = .seconds(1) }
        defer { Task { try await server.stop() } }
        defer { receiver.stop() }

        let lock = try await StoreWriteLock.hold(configuration)
        let started = ContinuousClock.now
        let committing = Task { try await Self.send(server.api, id: "in-the-commit") }
        try await Task.sleep(for: .milliseconds(300))
        let queued = Task { try await Self.send(server.api, id: "behind-the-commit") }
        let first = try await committing.value
        let second = try await queued.value
        let waited = ContinuousClock.now - started
        try await lock.release()

        Self.expectRefused(first, code: "unavailable")
        Self.expectRefused(second, code: "unavailable")
        let firstMessage = first.reply["error"]?["message"]?.stringValue ?? ""
        let secondMessage = second.reply["error"]?["message"]?.stringValue ?? ""
        #expect(firstMessage.contains("may still be stored"), "\(first.reply.rawText)")
        #expect(secondMessage.contains("were not stored"), "\(second.reply.rawText)")
        #expect(waited >= .seconds(1) && waited < .seconds(5), "answered after \(waited) with a 1 s ingest timeout")
        // The commit that was under way goes through once the lock is released; the dropped one never does.
        let after = try await Self.send(server.api, id: "after-the-lock")
        #expect(after.reply.status == 202, "\(after.reply.rawText)")
        let stored: Set<String> = ["in-the-commit", "after-the-lock"]
        #expect(try await Self.delivered(receiver, stored) == stored)
    }

    /// One slot: a client that sends half a body and stalls holds it; the next request waits for
    /// the slot (the ingest timeout, 1 s here) and is refused, and the slot is free again after.
    @Test func bodiesBeingReadAtOnceAreBounded() async throws {
        var configuration = try TestServer.makeConfiguration()
        configuration.parseConcurrency = 1
        configuration.ingestTimeout = .seconds(1)
        let server = try await TestServer.start(configuration)
        defer { Task { try await server.stop() } }
        let port = try #require(URL(string: server.baseURL)?.port)
        let body = #"{"type":"user.created","id":"slow-body","data":{"n":1}}"#
        let head =
            "POST /events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(TestServer.adminToken)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        let script = """
            import socket, sys, time
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
            s.sendall(sys.argv[2].encode() + sys.argv[3][:10].encode())
            time.sleep(3)
            s.sendall(sys.argv[3][10:].encode())
            print(s.recv(4096).split(b"\\r\\n", 1)[0].decode("latin-1"))
            """
        let slow = Task {
            try await ChildProcess.run("/usr/bin/env", ["python3", "-c", script, String(port), head, body]).output
        }
        try await Task.sleep(for: .seconds(1))
        let started = ContinuousClock.now
        let refused = try await Self.send(server.api, id: "while-busy")
        let waited = ContinuousClock.now - started
        Self.expectRefused(refused)
        #expect(waited < .seconds(10), "refused after \(waited), not after the 1 s wait for a slot")
        let slowStatus = try await slow.value
        #expect(slowStatus.contains(" 202 "), "\(slowStatus)")
        #expect(try await Self.send(server.api, id: "after-slow").reply.status == 202)
    }

    @Test func theBoundsComeFromTheEnvironment() throws {
        let defaults = try ServerConfiguration.fromEnvironment([:])
        #expect(defaults.ingestLimits.requests == 1000)
        #expect(defaults.ingestLimits.bytes == 64 << 20)
        #expect(defaults.parseConcurrency == 16)
        #expect(defaults.worker.storeTimeout == .seconds(10))
        let set = try ServerConfiguration.fromEnvironment([
            "WIREHOOK_INGEST_QUEUE_LIMIT": "7", "WIREHOOK_INGEST_QUEUE_BYTES": "4096",
            "WIREHOOK_PARSE_CONCURRENCY": "3",
            "WIREHOOK_DATABASE_TIMEOUT": "1500ms", "WIREHOOK_CONCURRENCY": "8",
        ])
        #expect(set.ingestLimits.requests == 7)
        #expect(set.ingestLimits.bytes == 4096)
        #expect(set.parseConcurrency == 3)
        #expect(set.worker.storeTimeout == .milliseconds(1500))
        var changed = set
        changed.setConcurrency(4)
        #expect(changed.worker.storeTimeout == .milliseconds(1500), "--concurrency keeps the database deadline")
        for (name, value) in [
            ("WIREHOOK_INGEST_QUEUE_LIMIT", "0"), ("WIREHOOK_INGEST_QUEUE_BYTES", "12"),
            ("WIREHOOK_PARSE_CONCURRENCY", "many"), ("WIREHOOK_DATABASE_TIMEOUT", "0s"),
        ] {
            #expect(throws: ConfigurationError.self) { try ServerConfiguration.fromEnvironment([name: value]) }
            do {
                _ = try ServerConfiguration.fromEnvironment([name: value])
            } catch {
                #expect(error.message.contains(name))
            }
        }
    }
}
