import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import WirehookCore

/// A real HTTP receiver on a free port that records every delivery and answers as scripted.
final class TestReceiver: Sendable {
    struct Received: Sendable {
        var path: String
        var headers: [String: String]
        var body: [UInt8]
        var receivedAt: Date

        var json: JSONValue? { try? JSONParser.parse(body) }
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// How to answer the n-th request (0-based): a status, optional delay and extra headers.
    struct Reply: Sendable {
        var status: Int = 200
        var delay: Duration = .zero
        var headers: [(String, String)] = []
        var body: String = "ok"
    }

    private let state = Mutex<[Received]>([])
    private let script: @Sendable (_ index: Int, _ request: Received) -> Reply
    private let group: ServiceGroup
    let port: Int

    var url: String { "http://127.0.0.1:\(port)/hook" }

    private init(port: Int, group: ServiceGroup, script: @escaping @Sendable (Int, Received) -> Reply) {
        self.port = port
        self.group = group
        self.script = script
    }

    static func start(script: @escaping @Sendable (_ index: Int, _ request: Received) -> Reply = { _, _ in Reply() })
        async throws -> TestReceiver
    {
        let box = ReceiverBox()
        let router = Router()
        router.post("/**") { request, context -> Response in
            guard let receiver = box.receiver else { return Response(status: .serviceUnavailable) }
            return try await receiver.handle(request, context: context)
        }
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "test-receiver", factory: { _ in SwiftLogNoOpLogHandler() }))
        let group = ServiceGroup(
            configuration: .init(services: [app], logger: Logger(label: "test-receiver", factory: { _ in SwiftLogNoOpLogHandler() })))
        Task {
            defer { portContinuation.finish() }
            try await group.run()
        }
        var iterator = portStream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("the test receiver stopped before it listened") }
        let receiver = TestReceiver(port: port, group: group, script: script)
        box.receiver = receiver
        return receiver
    }

    private func handle(_ request: Request, context: BasicRequestContext) async throws -> Response {
        var request = request
        let buffer = try await request.collectBody(upTo: 16 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        let received = Received(
            path: request.uri.path, headers: headers, body: Array(buffer.readableBytesView), receivedAt: Date())
        let index = state.withLock { list in
            list.append(received)
            return list.count - 1
        }
        let reply = script(index, received)
        if reply.delay > .zero { try? await Task.sleep(for: reply.delay) }
        var responseHeaders = HTTPFields()
        for (name, value) in reply.headers {
            if let field = HTTPField.Name(name) { responseHeaders[field] = value }
        }
        return Response(
            status: .init(code: reply.status), headers: responseHeaders,
            body: .init(byteBuffer: ByteBuffer(string: reply.body)))
    }

    var received: [Received] { state.withLock { $0 } }
    var count: Int { state.withLock { $0.count } }

    /// Waits until at least `count` requests arrived, or fails after `timeout`.
    @discardableResult
    func waitFor(count: Int, timeout: Duration = .seconds(15)) async throws -> [Received] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let current = received
            if current.count >= count { return current }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("receiver got \(self.count) requests, expected \(count) within \(timeout)")
    }

    /// Stops the way SIGTERM would: the listener closes and requests under way are answered.
    /// Cancelling the server's task instead tore down connections a worker was still opening,
    /// and NIO traps when a connection's writer is dropped unfinished.
    func stop() {
        Task { [group] in await group.triggerGracefulShutdown() }
    }
}

/// Lets the route closure reach the receiver once it exists.
private final class ReceiverBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _receiver: TestReceiver?
    var receiver: TestReceiver? {
        get { lock.withLock { _receiver } }
        set { lock.withLock { _receiver = newValue } }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
