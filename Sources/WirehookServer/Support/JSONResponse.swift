import Foundation
import Hummingbird
import WirehookCore

/// Builds JSON responses from order-keeping values, so field order in the API is stable.
enum JSONResponse {
    static func make(_ status: HTTPResponse.Status = .ok, _ value: JSONValue) -> Response {
        let bytes = JSONWriter.serialize(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func error(_ status: HTTPResponse.Status, code: String, message: String) -> Response {
        make(
            status,
            [
                "success": false,
                "error": ["code": .string(code), "message": .string(message)],
            ])
    }
}

extension JSONValue {
    static func timestamp(_ date: Date?) -> JSONValue {
        guard let date else { return .null }
        return .string(Timestamp.iso8601(date))
    }

    static func optionalInt(_ value: Int?) -> JSONValue {
        value.map { .int($0) } ?? .null
    }

    static func optionalString(_ value: String?) -> JSONValue {
        value.map { .string($0) } ?? .null
    }
}
