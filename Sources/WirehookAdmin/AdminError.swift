import WirehookCore

/// Why an admin command failed, with the server's own message when it answered.
public struct AdminError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// The server answered with an error status.
        case rejected(status: Int, code: String?)
        /// The server could not be reached or did not answer in time.
        case unreachable
        /// An answer came, but not one Wirehook gives.
        case badAnswer
        /// Something on this side: a missing token, unreadable input.
        case local
        /// The request went through but what it did failed (a test delivery the receiver refused).
        case failed
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// The HTTP status the server answered, if it did.
    public var status: Int? {
        if case .rejected(let status, _) = code { return status }
        return nil
    }

    public var exitStatus: ExitStatus {
        switch code {
        case .rejected(let status, _):
            switch status {
            case 401, 403: return .unauthorized
            case 404: return .notFound
            default: return .failure
            }
        case .unreachable, .badAnswer: return .unreachable
        case .local: return .usage
        case .failed: return .failure
        }
    }

    /// The error an error answer stands for: `{"success":false,"error":{"code","message"}}`.
    static func from(status: Int, body: JSONValue?) -> AdminError {
        let code = body?["error"]?["code"]?.stringValue
        let message = body?["error"]?["message"]?.stringValue ?? body?["error"]?.stringValue
        return AdminError(.rejected(status: status, code: code), message ?? "the server answered HTTP \(status)")
    }
}
