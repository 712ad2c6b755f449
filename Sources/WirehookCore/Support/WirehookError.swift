/// A domain error with a stable code; the server maps each code to an HTTP status in one place.
public struct WirehookError: Error, CustomStringConvertible, Sendable {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let malformedJSON = Code(rawValue: "malformed_json")
        public static let unauthorized = Code(rawValue: "unauthorized")
        /// Authenticated, but the credential lacks the scope the route needs.
        public static let forbidden = Code(rawValue: "forbidden")
        public static let notFound = Code(rawValue: "not_found")
        public static let payloadTooLarge = Code(rawValue: "payload_too_large")
        public static let invalidField = Code(rawValue: "invalid_field")
        public static let methodNotAllowed = Code(rawValue: "method_not_allowed")
        /// The request is sound but clashes with what is happening (a delivery mid-attempt).
        public static let conflict = Code(rawValue: "conflict")
        public static let unavailable = Code(rawValue: "unavailable")
        /// Too much work is already waiting (ingest queue or body parsing); nothing was taken in.
        public static let overloaded = Code(rawValue: "overloaded")
        public static let internalError = Code(rawValue: "internal_error")
    }

    public var code: Code
    public var message: String
    /// How long the client should wait before trying again (`Retry-After`), for errors that pass.
    public var retryAfter: Duration?

    public init(_ code: Code, _ message: String, retryAfter: Duration? = nil) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { "\(code.rawValue): \(message)" }

    public static func invalid(_ message: String) -> WirehookError { .init(.invalidField, message) }
    public static func notFound(_ message: String) -> WirehookError { .init(.notFound, message) }
}
