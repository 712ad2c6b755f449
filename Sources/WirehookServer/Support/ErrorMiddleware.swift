import Hummingbird
import Logging
import NIOCore
import WirehookCore

/// Turns every error into `{"success":false,"error":{"code","message"}}` with the right status.
///
/// This is the one place domain error codes become HTTP statuses; nothing reaches the client as a
/// bare 500 page.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as WirehookError {
            let response = JSONResponse.error(
                Self.status(for: error.code), code: error.code.rawValue, message: error.message)
            return Self.withRetryAfter(response, error.retryAfter)
        } catch let error as HTTPError {
            return Self.withRetryAfter(Self.response(status: error.status, message: error.body), nil)
        } catch let error as any HTTPResponseError {
            return Self.withRetryAfter(Self.response(status: error.status, message: nil), nil)
        } catch {
            context.logger.error("Unhandled error", metadata: ["error.type": "\(type(of: error))"])
            return JSONResponse.error(.internalServerError, code: "internal_error", message: "internal error")
        }
    }

    static func response(status: HTTPResponse.Status, message: String?) -> Response {
        switch status {
        case .notFound:
            return JSONResponse.error(status, code: "not_found", message: message ?? "no such route")
        case .contentTooLarge:
            return JSONResponse.error(
                status, code: "payload_too_large", message: message ?? "request body is over the size limit")
        case .unauthorized:
            return JSONResponse.error(status, code: "unauthorized", message: message ?? "unauthorized")
        case .forbidden:
            return JSONResponse.error(status, code: "forbidden", message: message ?? "forbidden")
        case .methodNotAllowed:
            return JSONResponse.error(status, code: "method_not_allowed", message: message ?? "method not allowed")
        default:
            return JSONResponse.error(
                status, code: status.code >= 500 ? "internal_error" : "bad_request",
                message: message ?? status.reasonPhrase)
        }
    }

    /// Every 503 says when to come back, so clients and load balancers back off instead of
    /// hammering a server that is shedding load.
    static func withRetryAfter(_ response: Response, _ retryAfter: Duration?) -> Response {
        guard response.status == .serviceUnavailable else { return response }
        var response = response
        response.headers[.retryAfter] = RetryAfter.header(retryAfter ?? RetryAfter.fallback)
        return response
    }

    static func status(for code: WirehookError.Code) -> HTTPResponse.Status {
        switch code {
        case .malformedJSON: return .badRequest
        case .unauthorized: return .unauthorized
        case .forbidden: return .forbidden
        case .notFound: return .notFound
        case .payloadTooLarge: return .contentTooLarge
        case .invalidField: return .unprocessableContent
        case .methodNotAllowed: return .methodNotAllowed
        case .conflict: return .conflict
        case .unavailable, .overloaded: return .serviceUnavailable
        default: return .internalServerError
        }
    }
}
