import Foundation

/// Verifies a received delivery in any signed dialect Wirehook (or the panels) send.
public struct WebhookVerifier: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case standard
        case remnawave
        case marzban
        case wgPortal = "wg-portal"
        case vpnEnterprise = "vpn-enterprise"
    }

    public var format: Format
    public var secret: String
    /// Accepted clock skew for timestamped formats.
    public var tolerance: TimeInterval
    /// For Marzban receivers that (like the seed's Flask sample) expect an HMAC in `x-webhook-secret`.
    public var marzbanHMAC: Bool

    public init(format: Format, secret: String, tolerance: TimeInterval = 300, marzbanHMAC: Bool = false) {
        self.format = format
        self.secret = secret
        self.tolerance = tolerance
        self.marzbanHMAC = marzbanHMAC
    }

    public init(formatName: String, secret: String, tolerance: TimeInterval = 300) throws(VerificationError) {
        guard let format = Format(rawValue: formatName) else { throw .unknownFormat(formatName) }
        self.init(format: format, secret: secret, tolerance: tolerance)
    }

    /// Throws unless the headers carry a valid proof for exactly these body bytes.
    /// Header names are matched case-insensitively.
    public func verify(body: some Collection<UInt8>, headers: [String: String], now: Date = Date())
        throws(VerificationError)
    {
        var lowered: [String: String] = [:]
        for (name, value) in headers { lowered[name.lowercased()] = value }
        switch format {
        case .standard:
            try StandardWebhooks.verify(
                secret: secret, id: lowered["webhook-id"], timestamp: lowered["webhook-timestamp"],
                signatureHeader: lowered["webhook-signature"], body: body, now: now, tolerance: tolerance)
        case .remnawave:
            guard let provided = lowered["x-remnawave-signature"] else {
                throw .missingHeader("X-Remnawave-Signature")
            }
            try compare(provided, HMACSignature.hex(secret: secret, message: Array(body)))
        case .vpnEnterprise:
            guard let provided = lowered["x-vpn-signature"] else { throw .missingHeader("X-VPN-Signature") }
            guard provided.hasPrefix("sha256=") else { throw .malformedHeader("X-VPN-Signature") }
            try compare(String(provided.dropFirst(7)), HMACSignature.hex(secret: secret, message: Array(body)))
        case .marzban:
            guard let provided = lowered["x-webhook-secret"] else { throw .missingHeader("x-webhook-secret") }
            let expected = marzbanHMAC ? HMACSignature.hex(secret: secret, message: Array(body)) : secret
            try compare(provided, expected)
        case .wgPortal:
            guard let provided = lowered["authorization"] else { throw .missingHeader("Authorization") }
            try compare(provided, secret)
        }
    }

    private func compare(_ provided: String, _ expected: String) throws(VerificationError) {
        guard HMACSignature.constantTimeEquals(Array(provided.utf8), Array(expected.utf8)) else {
            throw .signatureMismatch
        }
    }
}
