import NIOCore
import NIOHTTP1
import Hummingbird
import WirehookCore

/// Reads a request body within the configured size limit, and parses it as JSON.
enum RequestBody {
    static func parse(_ bytes: ByteBuffer, allowEmpty: Bool = false) throws -> JSONValue {
        if bytes.readableBytes == 0 {
            if allowEmpty { return .object([]) }
            throw WirehookError(.malformedJSON, "request body is empty; expected a JSON object")
        }
        do {
            return try JSONParser.parse(bytes.readableBytesView)
        } catch {
            throw WirehookError(.malformedJSON, "request body is not valid JSON: \(error)")
        }
    }

    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        // A declared length over the limit is refused before a byte of the body is read.
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw WirehookError(.payloadTooLarge, "request body is over the \(limit)-byte limit")
        }
        var request = request
        do {
            return try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw WirehookError(.payloadTooLarge, "request body is over the \(limit)-byte limit")
        } catch let error as HTTPParserError {
            throw WirehookError(.malformedJSON, "the request's body framing is broken (\(error))")
        }
    }
}
