/// Why a received webhook was rejected.
public enum VerificationError: Error, Equatable, CustomStringConvertible, Sendable {
    case missingHeader(String)
    case malformedHeader(String)
    case invalidSecret
    case timestampTooOld
    case timestampInFuture
    case signatureMismatch
    case unknownFormat(String)

    public var description: String {
        switch self {
        case .missingHeader(let name): return "missing header \(name)"
        case .malformedHeader(let name): return "malformed header \(name)"
        case .invalidSecret: return "the secret is not valid for this format"
        case .timestampTooOld: return "timestamp is too old (possible replay)"
        case .timestampInFuture: return "timestamp is too far in the future"
        case .signatureMismatch: return "signature does not match"
        case .unknownFormat(let name): return "unknown format '\(name)'"
        }
    }
}
