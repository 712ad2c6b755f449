import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A measurement, not a product client: the least an HTTP/1.1 keep-alive client on SwiftNIO's
/// own codec does per request (one connection per sender, one request in flight on each, the
/// response body read and dropped), so `same-client --lean` can show what AsyncHTTPClient's
/// per-request machinery costs on this machine before anyone writes a real replacement (issue
/// 12: "measure ... before choosing"). No TLS, pooling, redirects or deadlines.
enum LeanClientRate {
    /// Answers each request's promise with the response status once its end arrives.
    final class ResponseHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPClientResponsePart
        // Touched only on the channel's event loop.
        var waiting: EventLoopPromise<Int>?
        var status = 0

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): status = Int(head.status.code)
            case .body: break
            case .end:
                let promise = waiting
                waiting = nil
                promise?.succeed(status)
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            waiting?.fail(error)
            waiting = nil
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            waiting?.fail(ChannelError.ioOnClosedChannel)
            waiting = nil
        }
    }

    struct Connection: Sendable {
        let channel: any Channel
        /// Touched only on the channel's event loop (hence `@unchecked Sendable`).
        let handler: ResponseHandler

        static func open(host: String, port: Int, group: any EventLoopGroup) async throws -> Connection {
            let handler = ResponseHandler()
            let channel = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                }
                .connect(host: host, port: port).get()
            return Connection(channel: channel, handler: handler)
        }

        /// One POST; the status of its answer.
        func post(path: String, head: HTTPHeaders, body: ByteBuffer) async throws -> Int {
            let loop = channel.eventLoop
            let promise = loop.makePromise(of: Int.self)
            let handler = self.handler
            let channel = self.channel
            loop.execute {
                handler.waiting = promise
                var request = HTTPRequestHead(version: .http1_1, method: .POST, uri: path)
                request.headers = head
                channel.write(HTTPClientRequestPart.head(request), promise: nil)
                channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil)
                channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            }
            return try await promise.futureResult.get()
        }
    }
}
