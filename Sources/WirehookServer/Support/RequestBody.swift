import NIOCore
import Hummingbird
import WirehookCore

/// Reads a request body as JSON within the configured size limit.
enum RequestBody {
    static func json(_ request: Request, limit: Int, allowEmpty: Bool = false) async throws -> JSONValue {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw WirehookError(.payloadTooLarge, "request body is over the \(limit)-byte limit")
        }
        if buffer.readableBytes == 0 {
            if allowEmpty { return .object([]) }
            throw WirehookError(.malformedJSON, "request body is empty; expected a JSON object")
        }
        do {
            return try JSONParser.parse(buffer.readableBytesView)
        } catch {
            throw WirehookError(.malformedJSON, "request body is not valid JSON: \(error)")
        }
    }

    static func bytes(_ request: Request, limit: Int) async throws -> [UInt8] {
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw WirehookError(.payloadTooLarge, "request body is over the \(limit)-byte limit")
        }
    }
}
