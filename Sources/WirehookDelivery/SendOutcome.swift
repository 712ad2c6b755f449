import WirehookCore

/// What one HTTP attempt produced.
public struct SendOutcome: Sendable {
    public var statusCode: Int?
    public var latencyMs: Int
    public var responseBody: [UInt8]
    public var error: String?
    public var retryAfter: Duration?

    public init(statusCode: Int?, latencyMs: Int, responseBody: [UInt8], error: String?, retryAfter: Duration?) {
        self.statusCode = statusCode
        self.latencyMs = latencyMs
        self.responseBody = responseBody
        self.error = error
        self.retryAfter = retryAfter
    }

    public var isSuccess: Bool { Attempt.succeeded(status: statusCode, error: error) }
}
