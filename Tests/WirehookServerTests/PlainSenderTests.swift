import Foundation
import NIOCore
import NIOPosix
import Testing
import WirehookCore
import NIOHTTP1
import Synchronization
@testable import WirehookDelivery

/// Plain `http://` deliveries go out on `PlainHTTP1Pool`, Wirehook's own keep-alive client on
/// SwiftNIO's codec. These receivers misbehave at the byte level, which a well-behaved HTTP
/// server (TestReceiver) never does.
@Suite(.timeLimit(.minutes(2)))
struct PlainSenderTests {
    /// A TCP server that answers whatever it reads with `answer(n)` for the n-th read on a
    /// connection (nil: say nothing), then optionally closes after `closeAfter`.
    final class ScriptedServer: Sendable {
        let channel: any Channel
        /// Connections that have ended, whoever closed them.
        let ended = Count()
        var port: Int { channel.localAddress?.port ?? 0 }

        final class Count: Sendable {
            private let value = Mutex(0)
            func add() { value.withLock { $0 += 1 } }
            var current: Int { value.withLock { $0 } }
        }

        init(answer: @escaping @Sendable (Int) -> [UInt8]?, closeAfter: TimeAmount? = nil) async throws {
            let ended = self.ended
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { child in
                    child.closeFuture.whenComplete { _ in ended.add() }
                    return child.pipeline.addHandler(Handler(answer: answer, closeAfter: closeAfter))
                }
                .bind(host: "127.0.0.1", port: 0).get()
        }

        func stop() { channel.close(promise: nil) }

        final class Handler: ChannelInboundHandler, @unchecked Sendable {
            typealias InboundIn = ByteBuffer
            let answer: @Sendable (Int) -> [UInt8]?
            let closeAfter: TimeAmount?
            var index = 0
            var seen = ""

            init(answer: @escaping @Sendable (Int) -> [UInt8]?, closeAfter: TimeAmount?) {
                self.answer = answer
                self.closeAfter = closeAfter
            }

            func channelRead(context: ChannelHandlerContext, data: NIOAny) {
                var buffer = unwrapInboundIn(data)
                seen += buffer.readString(length: buffer.readableBytes) ?? ""
                // One whole request (head and the short body these tests send) per answer.
                guard seen.contains("\r\n\r\n"), seen.hasSuffix("}") else { return }
                seen = ""
                defer { index += 1 }
                if let bytes = answer(index) {
                    context.writeAndFlush(NIOAny(ByteBuffer(bytes: bytes)), promise: nil)
                }
                if let closeAfter {
                    let channel = context.channel
                    context.eventLoop.scheduleTask(in: closeAfter) { channel.close(promise: nil) }
                }
            }
        }
    }

    static func ok(_ body: String = "ok", status: String = "200 OK") -> [UInt8] {
        Array("HTTP/1.1 \(status)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
    }

    static func send(_ sender: HTTPSender, port: Int, timeout: Duration = .seconds(2)) async -> SendOutcome {
        await sender.send(
            url: "http://127.0.0.1:\(port)/hook", headers: [("webhook-id", "evt_1")], body: Array(#"{"a":1}"#.utf8),
            timeout: timeout)
    }

    static func sender() -> HTTPSender {
        HTTPSender(client: HTTPSender.makeClient(), targets: .allowingPrivate)
    }

    @Test func aSecondAnswerToOneRequestIsNeverTakenForTheNextRequestsAnswer() async throws {
        // Each request gets its 200 and then an unasked-for 500 on the same connection.
        let server = try await ScriptedServer(answer: { _ in Self.ok() + Self.ok("no", status: "500 Internal Server Error") })
        defer { server.stop() }
        let sender = Self.sender()
        for _ in 0..<5 {
            let outcome = await Self.send(sender, port: server.port)
            #expect(outcome.statusCode == 200, "\(outcome.error ?? "")")
            try await Task.sleep(for: .milliseconds(50))
        }
        try await sender.shutdown()
    }

    @Test func aKeepAliveConnectionTheReceiverClosedIsReplaced() async throws {
        // The receiver closes every connection 50 ms after answering, as Node does after its idle timeout.
        let server = try await ScriptedServer(answer: { _ in Self.ok() }, closeAfter: .milliseconds(50))
        defer { server.stop() }
        let sender = Self.sender()
        for _ in 0..<5 {
            let outcome = await Self.send(sender, port: server.port)
            #expect(outcome.statusCode == 200, "\(outcome.error ?? "")")
            try await Task.sleep(for: .milliseconds(120))
        }
        try await sender.shutdown()
    }

    @Test func anInterimAnswerIsSkippedAndTheFinalOneCounts() async throws {
        let server = try await ScriptedServer(answer: { _ in Array("HTTP/1.1 100 Continue\r\n\r\n".utf8) + Self.ok("done") })
        defer { server.stop() }
        let sender = Self.sender()
        let outcome = await Self.send(sender, port: server.port)
        #expect(outcome.statusCode == 200)
        #expect(outcome.responseBody == Array("done".utf8))
        try await sender.shutdown()
    }

    @Test func garbageSilenceAndHangUpsAreFailedAttemptsWithAReason() async throws {
        let garbage = try await ScriptedServer(answer: { _ in Array("SSH-2.0-OpenSSH_9.6\r\n\r\n".utf8) })
        let silent = try await ScriptedServer(answer: { _ in nil })
        let hangUp = try await ScriptedServer(answer: { _ in nil }, closeAfter: .zero)
        defer { [garbage, silent, hangUp].forEach { $0.stop() } }
        let sender = Self.sender()

        let bad = await Self.send(sender, port: garbage.port)
        #expect(bad.statusCode == nil)
        #expect(bad.error?.hasPrefix("invalid HTTP answer") == true, "\(bad.error ?? "")")

        let quiet = await Self.send(sender, port: silent.port, timeout: .milliseconds(500))
        #expect(quiet.statusCode == nil)
        #expect(quiet.error == "timed out after 500ms", "\(quiet.error ?? "")")
        // Silence would otherwise hold the attempt for good; the bound is loose for a loaded machine.
        #expect(quiet.latencyMs < 10_000, "the deadline ends the attempt")

        let closed = await Self.send(sender, port: hangUp.port)
        #expect(closed.error == "connection closed by the receiver", "\(closed.error ?? "")")

        // Nothing listens on the port of a server that was stopped.
        let port = silent.port
        silent.stop()
        try await Task.sleep(for: .milliseconds(100))
        let refused = await Self.send(sender, port: port)
        #expect(refused.error == "connection refused", "\(refused.error ?? "")")
        try await sender.shutdown()
    }

    @Test func bodiesAreKeptUpToTheLogLimitAndRetryAfterIsRead() async throws {
        let big = String(repeating: "x", count: 10_000)
        let server = try await ScriptedServer(answer: { index in
            index == 0
                ? Array("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n".utf8)
                : Self.ok(big, status: "500 Internal Server Error")
        })
        defer { server.stop() }
        let sender = Self.sender()
        let limited = await Self.send(sender, port: server.port)
        #expect(limited.statusCode == 429)
        #expect(limited.retryAfter == .seconds(7))
        let failed = await Self.send(sender, port: server.port)
        #expect(failed.statusCode == 500)
        #expect(failed.responseBody.count == HTTPSender.loggedBodyLimit)
        try await sender.shutdown()
    }

    /// The guard keeps its decision for a host that is an address: the kept one must be the
    /// decision itself, for every kind of literal, and a name must still be resolved and checked.
    @Test func keptGuardDecisionsAreTheGuardsOwn() async throws {
        let guarded = TargetGuard(policy: TargetPolicy())
        let open = TargetGuard(policy: .allowingPrivate)
        func summary(_ decision: TargetGuard.Decision) -> String {
            switch decision {
            case .refused(let reason): "refused: \(reason)"
            case .connect(let host, let addresses, let literal): "connect \(host) \(addresses) \(literal)"
            }
        }
        for host in ["127.0.0.1", "2130706433", "0x7f.1", "::1", "169.254.169.254", "93.184.216.34", "10.0.0.1"] {
            for targetGuard in [guarded, open] {
                let fresh = try #require(targetGuard.decideLiteral(host: host), "\(host) is an address")
                let first = await targetGuard.decide(host: host)
                let kept = await targetGuard.decide(host: host)
                #expect(summary(first) == summary(fresh), "\(host)")
                #expect(summary(kept) == summary(fresh), "\(host), second time")
            }
        }
        #expect(summary(await guarded.decide(host: "127.0.0.1")).hasPrefix("refused"))
        #expect(summary(await open.decide(host: "0x7f.1")) == "connect 0x7f.1 [127.0.0.1] false")
        // A name is never kept as a literal: each decision checks what it resolves to.
        for _ in 0..<2 {
            #expect(summary(await guarded.decide(host: "localhost")).hasPrefix("refused"))
            #expect(summary(await open.decide(host: "localhost")).hasPrefix("connect localhost"))
        }
    }

    /// A URL parsed once is parsed as it would be each time: same host for the guard, same route.
    @Test func keptURLsParseAsFreshOnes() {
        let urls = ParsedURLs()
        for url in [
            "http://127.0.0.1:8080/hook?a=1&b=%20", "http://[::1]/x", "http://example.com", "https://example.com/in",
            "http://user:pw@example.com/", "http://127.0.0.1:8080/other",
        ] {
            for _ in 0..<2 {
                let kept = urls.parsed(url)
                let fresh = ParsedURL(url)
                #expect(kept.host == fresh.host, "\(url)")
                #expect(kept.plain?.uri == fresh.plain?.uri && kept.plain?.port == fresh.plain?.port, "\(url)")
                #expect(kept.plain?.hostHeader == fresh.plain?.hostHeader, "\(url)")
            }
        }
        #expect(urls.parsed("http://127.0.0.1:8080/hook?a=1&b=%20").plain?.uri == "/hook?a=1&b=%20")
        #expect(urls.parsed("http://[::1]/x").plain?.hostHeader == "[::1]")
        #expect(urls.parsed("https://example.com/in").plain == nil)
        #expect(urls.parsed("http://user:pw@example.com/").plain == nil)
    }

    /// One shared timer ends attempts: a deadline that passes fires once, one unwatched in time
    /// never fires, and the timer starts again after it stopped for want of work.
    @Test func sharedDeadlinesFireOnceAndOnlyWhenWatched() async throws {
        let deadlines = AttemptDeadlines()
        for round in 0..<2 {
            let fired = Mutex(0)
            let unwatchedFired = Mutex(false)
            _ = deadlines.watch(until: .now() + .milliseconds(100)) { fired.withLock { $0 += 1 } }
            let unwatched = deadlines.watch(until: .now() + .milliseconds(300)) {
                unwatchedFired.withLock { $0 = true }
            }
            deadlines.unwatch(unwatched)
            let until = ContinuousClock.now + .seconds(5)
            while fired.withLock({ $0 }) == 0, ContinuousClock.now < until {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await Task.sleep(for: .milliseconds(500))
            #expect(fired.withLock { $0 } == 1, "round \(round)")
            #expect(!unwatchedFired.withLock { $0 }, "round \(round)")
        }
    }

    @Test func idleConnectionsAreClosedAfterTheIdleTimeout() async throws {
        let server = try await ScriptedServer(answer: { _ in Self.ok() })
        defer { server.stop() }
        let pool = PlainHTTP1Pool(
            maxIdlePerKey: 4, keptBodyLimit: 16, readLimit: 1024, idleTimeout: .seconds(2))
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/")
        head.headers.add(name: "Host", value: "127.0.0.1")
        head.headers.add(name: "Content-Length", value: "2")
        let key = PlainHTTP1Pool.Key(address: try #require(IPAddress(host: "127.0.0.1")), port: server.port)
        let answer = try await pool.post(
            to: key, head: head, body: ByteBuffer(string: "{}"), until: .now() + .seconds(2))
        #expect(answer.status == 200)
        // Timings leave room for a loaded CI machine: checked well inside the 2 s, then waited for.
        #expect(server.ended.current == 0, "kept for reuse while young")
        let deadline = ContinuousClock.now + .seconds(15)
        while server.ended.current == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(server.ended.current == 1, "closed once idle past the timeout")
        await pool.shutdown()
    }
}
