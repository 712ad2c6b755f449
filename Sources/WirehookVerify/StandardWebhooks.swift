import Foundation

/// The Standard Webhooks scheme: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, secrets `whsec_<base64>`.
public enum StandardWebhooks {
    public static let secretPrefix = "whsec_"

    /// The raw key bytes of a `whsec_…` secret (a secret without the prefix is base64 too).
    public static func key(fromSecret secret: String) -> [UInt8]? {
        let encoded = secret.hasPrefix(secretPrefix) ? String(secret.dropFirst(secretPrefix.count)) : secret
        guard let data = Data(base64Encoded: encoded), !data.isEmpty else { return nil }
        return Array(data)
    }

    /// The `v1,…` signature for one message. Returns nil when the secret is not valid base64.
    /// Inlinable, like the one below, so a caller's body type is specialised: generic, the body
    /// was appended one element at a time through witness tables (2 % of a delivery's CPU).
    @inlinable
    public static func signature(secret: String, id: String, timestamp: Int64, body: some Collection<UInt8>)
        -> String?
    {
        guard let key = key(fromSecret: secret) else { return nil }
        return signature(key: key, id: id, timestamp: timestamp, body: body)
    }

    @inlinable
    public static func signature(key: [UInt8], id: String, timestamp: Int64, body: some Collection<UInt8>) -> String {
        var message = [UInt8]()
        message.reserveCapacity(id.utf8.count + 12 + body.count)
        message += id.utf8
        message.append(UInt8(ascii: "."))
        message += String(timestamp).utf8
        message.append(UInt8(ascii: "."))
        message += body
        let mac = HMACSignature.sha256(key: key, message: message)
        return "v1," + Data(mac).base64EncodedString()
    }

    /// Checks `webhook-signature` (any of its space-separated `v1,` entries) and the timestamp window.
    public static func verify(
        secret: String,
        id: String?,
        timestamp: String?,
        signatureHeader: String?,
        body: some Collection<UInt8>,
        now: Date = Date(),
        tolerance: TimeInterval = 300
    ) throws(VerificationError) {
        guard let id, !id.isEmpty else { throw .missingHeader("webhook-id") }
        guard let timestamp else { throw .missingHeader("webhook-timestamp") }
        guard let signatureHeader, !signatureHeader.isEmpty else { throw .missingHeader("webhook-signature") }
        guard let seconds = Int64(timestamp) else { throw .malformedHeader("webhook-timestamp") }
        let age = now.timeIntervalSince1970 - Double(seconds)
        if age > tolerance { throw .timestampTooOld }
        if age < -tolerance { throw .timestampInFuture }
        guard let key = key(fromSecret: secret) else { throw .invalidSecret }
        let expected = Array(signature(key: key, id: id, timestamp: seconds, body: body).utf8)
        for candidate in signatureHeader.split(separator: " ") where candidate.hasPrefix("v1,") {
            if HMACSignature.constantTimeEquals(Array(candidate.utf8), expected) { return }
        }
        throw .signatureMismatch
    }
}
