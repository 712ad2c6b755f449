import OpenAPIKit

/// The error answers of the API, each with the codes its `{"success":false,"error":{...}}` body
/// may carry (the codes `ErrorMiddleware` and `ParserErrorHandler` write for that status).
enum ErrorStatus: Int, CaseIterable, Sendable {
    case badRequest = 400
    case unauthorized = 401
    case forbidden = 403
    case notFound = 404
    case conflict = 409
    case payloadTooLarge = 413
    case unprocessable = 422
    case headersTooLarge = 431
    case unavailable = 503

    var statusCode: OpenAPI.Response.StatusCode { .status(code: rawValue) }

    var componentName: String {
        switch self {
        case .badRequest: "BadRequest"
        case .unauthorized: "Unauthorized"
        case .forbidden: "Forbidden"
        case .notFound: "NotFound"
        case .conflict: "Conflict"
        case .payloadTooLarge: "PayloadTooLarge"
        case .unprocessable: "InvalidField"
        case .headersTooLarge: "HeadersTooLarge"
        case .unavailable: "Unavailable"
        }
    }

    var codes: [String] {
        switch self {
        case .badRequest: ["malformed_json", "bad_request"]
        case .unauthorized: ["unauthorized"]
        case .forbidden: ["forbidden"]
        case .notFound: ["not_found"]
        case .conflict: ["conflict"]
        case .payloadTooLarge: ["payload_too_large"]
        case .unprocessable: ["invalid_field"]
        case .headersTooLarge: ["headers_too_large"]
        case .unavailable: ["overloaded", "unavailable"]
        }
    }

    var summary: String {
        switch self {
        case .badRequest:
            "The body is not valid JSON, or the HTTP parser refused the request (bad method token, control "
                + "characters or NUL in a header, Content-Length with Transfer-Encoding, broken chunking); "
                + "after a parser refusal the connection is closed."
        case .unauthorized: "The credential is missing or wrong."
        case .forbidden: "A valid API key without the scope this route needs; the message names the scope."
        case .notFound: "No such id, or (on /ingest) the panel's secret is not configured."
        case .conflict: "The delivery is being attempted right now; retry when it finishes."
        case .payloadTooLarge: "The body is over the size limit (WIREHOOK_BODY_LIMIT)."
        case .unprocessable: "A field is missing or invalid; the message names it."
        case .headersTooLarge:
            "More than 100 header fields, one over 16 KiB, or over 64 KiB in all; the connection is closed."
        case .unavailable:
            "`overloaded`: too much is already waiting, nothing was taken in. `unavailable`: the database did "
                + "not answer in time. Send the same request again, with the same event ids, after Retry-After."
        }
    }

    var response: OpenAPI.Response {
        var headers: OpenAPI.Header.Map? = nil
        if self == .unavailable {
            headers = ["Retry-After": .header(OpenAPI.Header(schema: ContractSchemas.retryAfterHeader, required: true))]
        }
        return OpenAPI.Response(
            description: summary, headers: headers,
            content: [.json: .content(OpenAPI.Content(schema: ContractSchemas.error(codes: codes)))])
    }
}
