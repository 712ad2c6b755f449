import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import WirehookCore

/// Gives requests the HTTP parser rejects the same JSON error body as every other error.
///
/// NIO's decoder fails before any route runs, and Hummingbird answers such a connection with a
/// bare `400` and `Content-Length: 0`, then closes it. This handler sits between the decoder
/// and Hummingbird: it remembers the parser's error as it passes and rewrites that one answer,
/// with `431` for oversized headers and a message that says what was wrong.
final class ParserErrorHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var parserError: HTTPParserError?
    private var pendingBody: ByteBuffer?

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? HTTPParserError { parserError = error }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard let error = parserError else {
            context.write(data, promise: promise)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(var head) where head.status == .badRequest:
            let (status, message) = Self.describe(error)
            let body = JSONWriter.serialize([
                "success": false,
                "error": ["code": .string(status == .requestHeaderFieldsTooLarge ? "headers_too_large" : "bad_request"),
                          "message": .string(message)],
            ])
            head.status = status
            head.headerFields[.contentType] = "application/json; charset=utf-8"
            head.headerFields[.contentLength] = String(body.count)
            head.headerFields[.connection] = "close"
            pendingBody = context.channel.allocator.buffer(bytes: body)
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end(let trailers):
            if let body = pendingBody {
                pendingBody = nil
                context.write(wrapOutboundOut(.body(body)), promise: nil)
            }
            context.write(wrapOutboundOut(.end(trailers)), promise: promise)
        default:
            context.write(data, promise: promise)
        }
    }

    /// The status and message for a parser error: what the client sent wrong, in plain words.
    static func describe(_ error: HTTPParserError) -> (HTTPResponse.Status, String) {
        switch error {
        case .headerOverflow:
            return (
                .requestHeaderFieldsTooLarge,
                "request headers are too large or too many: at most \(HeaderLimits.fieldCount) fields, "
                    + "\(HeaderLimits.fieldSize / 1024) KiB per field and \(HeaderLimits.listSize / 1024) KiB in all"
            )
        case .invalidMethod: return (.badRequest, "the request method is not a valid HTTP method token")
        case .invalidHeaderToken, .invalidCharactersUsed, .invalidConstant:
            return (.badRequest, "a request header contains a character HTTP does not allow (control characters, NUL)")
        case .unexpectedContentLength, .invalidContentLength:
            return (.badRequest, "Content-Length is invalid or conflicts with Transfer-Encoding")
        case .invalidChunkSize:
            return (.badRequest, "Transfer-Encoding or chunked framing is invalid")
        case .invalidURL: return (.badRequest, "the request target is not a valid URL path")
        case .invalidVersion: return (.badRequest, "the HTTP version is not valid")
        default: return (.badRequest, "the request is not valid HTTP/1.1 (\(error))")
        }
    }
}

/// How large the request head may be; NIO's decoder enforces it (`431` when exceeded).
enum HeaderLimits {
    /// One header line (name and value).
    static let fieldSize = 16 * 1024
    /// All header lines together.
    static let listSize = 64 * 1024
    static let fieldCount = 100
}
