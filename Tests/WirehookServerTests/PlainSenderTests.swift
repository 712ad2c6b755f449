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

    @Test func idleConnectionsAreClosedAfterTheIdleTimeout() async throws {
        let server = try await ScriptedServer(answer: { _ in Self.ok() })
        defer { server.stop() }
        let pool = PlainHTTP1Pool(
            maxIdlePerKey: 4, keptBodyLimit: 16, readLimit: 1024, idleTimeout: .seconds(2))
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/")
        head.headers.add(name: "Host", value: "127.0.0.1")
        head.headers.add(name: "Content-Length", value: "2")
        let key = PlainHTTP1Pool.Key(address: try #require(IPAddress(host: "127.0.0.1")), port: server.port)
        let answer = try await pool.post(to: key, head: head, body: ByteBuffer(string: "{}"), within: .seconds(2))
        #expect(answer.status == 200)
        // Timings leave room for a loaded CI machine: checked well inside the 2 s, then waited for.
        #expect(server.ended.current == 0, "kept for reuse while young")
        let deadline = ContinuousClock.now + .seconds(15)
        while server.ended.current == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(server.ended.current == 1, "closed once idle past the timeout")
        await pool.shutdown()
    }
}
