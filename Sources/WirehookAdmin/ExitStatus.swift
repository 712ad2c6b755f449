/// The exit codes of the admin commands, which scripts can rely on (listed in docs/cli.md).
public enum ExitStatus: Int32, Sendable, CaseIterable {
    case success = 0
    /// The server refused the request for another reason (400, 409, 413, 422, 5xx), or a check failed.
    case failure = 1
    /// A usage mistake caught before anything was sent (argument-parser's own code).
    case usage = 64
    /// No answer: connection refused, DNS failure, timeout, or not a Wirehook answer.
    case unreachable = 69
    /// 401 or 403: no token, a wrong one, or a key without the route's scope.
    case unauthorized = 77
    /// 404: no such webhook, delivery, event or key.
    case notFound = 66
}
