import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import WirehookCore

/// Keep-alive HTTP/1.1 connections for plain `http://` deliveries, on SwiftNIO's own codec.
///
/// Measured with `wirehook-bench same-client` on a 2-core machine: AsyncHTTPClient's
/// per-request machinery allowed about 15,600 POSTs/s to a local nginx, a bare keep-alive client
/// on the same codec about 61,000 (BENCHMARKS.md). A delivery needs little of a general client:
/// one POST to an address the SSRF guard has already checked, no redirects, no decompression, a
/// bounded read of the answer. TLS deliveries keep AsyncHTTPClient (certificate checks, SNI).
///
/// Connections are kept per checked address and port; each carries one request at a time. The
/// worker's own caps bound how many are in use; at most `maxIdlePerKey` wait idle per key, for
/// about `idleTimeout`. A connection the receiver closed while idle is dropped from the pool
/// when it is next picked or swept.
final class PlainHTTP1Pool: Sendable {
    struct Key: Hashable, Sendable {
        let address: IPAddress
        let port: Int
    }

    /// The parts of an answer a delivery keeps.
    struct Answer: Sendable {
        var status: Int
        var retryAfter: String?
        var body: [UInt8]
    }

    /// Why an exchange failed, in the words the attempt log uses.
    struct Failure: Error, CustomStringConvertible {
        let description: String
        /// Nothing reached this address (refused, unreachable, connect timeout): another may answer.
        let unreachable: Bool
        /// The connection closed before any answer on a reused connection: almost always a
        /// keep-alive connection the receiver closed as it was picked, so a fresh one is tried
        /// once. Should the receiver have read the request and died before answering, it gets it
        /// twice, with the same webhook id, as after any failed attempt (at least once).
        let staleReuse: Bool
        /// The deadline passed first.
        var timedOut = false

        static let deadlinePassed = Failure(
            description: "timed out", unreachable: false, staleReuse: false, timedOut: true)
    }

    private struct Idle {
        let connection: Connection
        let since: NIODeadline
    }

    private let idle = Mutex<[Key: [Idle]]>([:])
    private let closed = Mutex(false)
    /// Closes connections idle past `idleTimeout`, a few times per timeout. One timer for the
    /// pool: a timer set and cancelled per request was about 10 % of the sender's time.
    private let sweeper = Mutex<RepeatedTask?>(nil)
    let group: any EventLoopGroup
    let maxIdlePerKey: Int
    let idleTimeout: TimeAmount
    let connectTimeout: TimeAmount
    let keptBodyLimit: Int
    let readLimit: Int

    init(
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, maxIdlePerKey: Int, keptBodyLimit: Int,
        readLimit: Int, idleTimeout: TimeAmount = .seconds(60), connectTimeout: TimeAmount = .seconds(5)
    ) {
        self.group = group
        self.maxIdlePerKey = max(1, maxIdlePerKey)
        self.keptBodyLimit = keptBodyLimit
        self.readLimit = readLimit
        self.idleTimeout = idleTimeout
        self.connectTimeout = connectTimeout
        let every = TimeAmount.nanoseconds(max(idleTimeout.nanoseconds / 4, TimeAmount.milliseconds(100).nanoseconds))
        let task = group.next().scheduleRepeatedTask(initialDelay: every, delay: every) { [weak self] task in
            guard let self else { return task.cancel() }
            self.closeExpired()
        }
        sweeper.withLock { $0 = task }
    }

    deinit {
        sweeper.withLock { $0?.cancel() }
    }

    /// One POST to `key`, answered by `deadline` or failed with `Failure.deadlinePassed`; a reused
    /// connection the receiver had closed is replaced once. The deadline is kept here, on the
    /// exchange, so an attempt needs no task of its own to cancel.
    func post(to key: Key, head: HTTPRequestHead, body: ByteBuffer, until deadline: NIODeadline) async throws
        -> Answer
    {
        if let reused = takeIdle(key) {
            do {
                return try await exchange(reused, key: key, head: head, body: body, reused: true, until: deadline)
            } catch let failure as Failure where failure.staleReuse {
                // The receiver closed a keep-alive connection as it was picked; nothing was answered.
            }
        }
        let left = deadline - .now()
        guard left > .zero else { throw Failure.deadlinePassed }
        // Connecting gets no longer than what is left of the attempt.
        let fresh = try await connect(key, within: min(connectTimeout, left))
        return try await exchange(fresh, key: key, head: head, body: body, reused: false, until: deadline)
    }

    /// Closes every idle connection; later requests still work, on new ones.
    func shutdown() async {
        closed.withLock { $0 = true }
        sweeper.withLock { sweeper in
            sweeper?.cancel()
            sweeper = nil
        }
        let all = idle.withLock { idle in
            defer { idle.removeAll() }
            return idle.values.flatMap { $0 }
        }
        for entry in all {
            try? await entry.connection.channel.close()
        }
    }

    private func takeIdle(_ key: Key) -> Connection? {
        let now = NIODeadline.now()
        var stale: [Connection] = []
        let found: Connection? = idle.withLock { idle in
            // In place: copying the list out of the dictionary and back copied it on every take.
            while let last = idle[key]?.popLast() {
                if idle[key]?.isEmpty == true { idle[key] = nil }
                if last.connection.channel.isActive, now - last.since < idleTimeout { return last.connection }
                stale.append(last.connection)
            }
            return nil
        }
        for connection in stale { connection.channel.close(promise: nil) }
        return found
    }

    private func giveBack(_ connection: Connection, key: Key) {
        let since = NIODeadline.now()
        let kept = idle.withLock { idle -> Bool in
            guard connection.channel.isActive, idle[key, default: []].count < maxIdlePerKey else { return false }
            idle[key, default: []].append(Idle(connection: connection, since: since))
            return true
        }
        if !kept || closed.withLock({ $0 }) {
            connection.channel.close(promise: nil)
        }
    }

    /// Closes the connections idle past `idleTimeout` (an endpoint that is never sent to again
    /// must not keep its sockets open for good) and those the receiver has closed.
    private func closeExpired() {
        let now = NIODeadline.now()
        var expired: [Connection] = []
        idle.withLock { idle in
            for key in Array(idle.keys) {
                idle[key]?.removeAll { entry in
                    let gone = !entry.connection.channel.isActive || now - entry.since >= idleTimeout
                    if gone { expired.append(entry.connection) }
                    return gone
                }
                if idle[key]?.isEmpty == true { idle[key] = nil }
            }
        }
        for connection in expired { connection.channel.close(promise: nil) }
    }

    private func connect(_ key: Key, within connectTimeout: TimeAmount) async throws -> Connection {
        let handler = ExchangeHandler(keptBodyLimit: keptBodyLimit, readLimit: readLimit)
        let address: SocketAddress
        do {
            address = try SocketAddress(ipAddress: key.address.description, port: key.port)
        } catch {
            throw Failure(description: "invalid address \(key.address)", unreachable: true, staleReuse: false)
        }
        do {
            let channel = try await ClientBootstrap(group: group)
                .connectTimeout(connectTimeout)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                }
                .connect(to: address).get()
            return Connection(channel: channel, handler: handler)
        } catch {
            // The sender's words for connect failures, so both clients log them alike.
            throw Failure(
                description: HTTPSender.describe(error), unreachable: HTTPSender.isUnreachable(error), staleReuse: false)
        }
    }

    /// Sends on `connection` and waits for the whole answer; the deadline or cancellation closes
    /// the connection, which ends the wait.
    private func exchange(
        _ connection: Connection, key: Key, head: HTTPRequestHead, body: ByteBuffer, reused: Bool,
        until deadline: NIODeadline
    ) async throws -> Answer {
        let channel = connection.channel
        let handler = connection.handler
        let promise = channel.eventLoop.makePromise(of: ExchangeHandler.Finished.self)
        let closedFirst = Failure(
            description: "connection closed by the receiver", unreachable: false, staleReuse: reused)
        channel.eventLoop.execute {
            // Closed between the pool's check and now: no handler callback would ever answer.
            guard channel.isActive else { return promise.fail(closedFirst) }
            handler.begin(promise, reused: reused)
            let written = channel.eventLoop.makePromise(of: Void.self)
            written.futureResult.whenFailure { _ in promise.fail(closedFirst) }
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil)
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: written)
        }
        // A promise completed twice keeps its first result, so every path may complete it.
        let watch = AttemptDeadlines.shared.watch(until: deadline) {
            // On the loop, after `begin`: an exchange already answered (its connection perhaps
            // back in the pool, or taken again) is left alone.
            channel.eventLoop.execute { handler.expire(promise, channel: channel) }
        }
        let finished: ExchangeHandler.Finished
        do {
            defer { AttemptDeadlines.shared.unwatch(watch) }
            finished = try await withTaskCancellationHandler {
                try await promise.futureResult.get()
            } onCancel: {
                promise.fail(CancellationError())
                channel.close(promise: nil)
            }
        }
        if finished.keepAlive { giveBack(connection, key: key) } else { channel.close(promise: nil) }
        return finished.answer
    }

    struct Connection: Sendable {
        let channel: any Channel
        let handler: ExchangeHandler
    }

    /// Collects one answer at a time. Touched only on its channel's event loop, hence the
    /// unchecked `Sendable`.
    final class ExchangeHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPClientResponsePart

        struct Finished: Sendable {
            var answer: Answer
            var keepAlive: Bool
        }

        let keptBodyLimit: Int
        let readLimit: Int
        private var waiting: EventLoopPromise<Finished>?
        private var reused = false
        private var answered = false
        private var answer = Answer(status: 0, retryAfter: nil, body: [])
        private var keepAlive = true
        private var read = 0

        init(keptBodyLimit: Int, readLimit: Int) {
            self.keptBodyLimit = keptBodyLimit
            self.readLimit = readLimit
        }

        func begin(_ promise: EventLoopPromise<Finished>, reused: Bool) {
            waiting = promise
            self.reused = reused
            answered = false
            answer = Answer(status: 0, retryAfter: nil, body: [])
            keepAlive = true
            read = 0
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard waiting != nil else {
                // Bytes nobody asked for (a second answer to one request): the connection cannot
                // be trusted to pair the next request with its answer.
                context.close(promise: nil)
                return
            }
            switch unwrapInboundIn(data) {
            case .head(let head):
                // An interim answer (100 Continue) is not the answer.
                guard head.status.code >= 200 || head.status.code == 101 else { return }
                answered = true
                answer.status = Int(head.status.code)
                answer.retryAfter = head.headers.first(name: "Retry-After")
                keepAlive = head.isKeepAlive
            case .body(var chunk):
                read += chunk.readableBytes
                let room = keptBodyLimit - answer.body.count
                if room > 0, let bytes = chunk.readBytes(length: min(room, chunk.readableBytes)) {
                    answer.body += bytes
                }
                if read >= readLimit {
                    // Enough is read to judge the answer; the rest is not worth the connection.
                    finish(keepAlive: false)
                    context.close(promise: nil)
                }
            case .end:
                // After an interim answer the real one is still to come.
                guard answered else { return }
                finish(keepAlive: keepAlive)
            }
        }

        /// The deadline passed: the exchange still waiting on `promise` fails, and its connection
        /// closes (a late answer could not be paired with a request). Nothing when the answer
        /// came first.
        func expire(_ promise: EventLoopPromise<Finished>, channel: any Channel) {
            guard let waiting, waiting.futureResult === promise.futureResult else { return }
            fail(Failure.deadlinePassed)
            channel.close(promise: nil)
        }

        private func finish(keepAlive: Bool) {
            guard let promise = waiting else { return }
            waiting = nil
            promise.succeed(Finished(answer: answer, keepAlive: keepAlive))
        }

        private func fail(_ failure: Failure) {
            guard let promise = waiting else { return }
            waiting = nil
            promise.fail(failure)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            let text = error is HTTPParserError ? "invalid HTTP answer: \(error)" : String(describing: error).prefix(300)
            fail(Failure(description: String(text), unreachable: false, staleReuse: false))
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            fail(
                Failure(
                    description: "connection closed by the receiver", unreachable: false,
                    staleReuse: reused && !answered))
            context.fireChannelInactive()
        }
    }
}
