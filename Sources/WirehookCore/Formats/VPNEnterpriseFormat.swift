import WirehookVerify

/// VPN Enterprise: body `{"id","type","created_at","data"}`, `X-VPN-Signature: sha256=<hex>` of the body.
public struct VPNEnterpriseFormat: WebhookFormat {
    public let name = "vpn-enterprise"

    public init() {}

    public func render(_ event: Event) -> Rendering {
        var writer = JSONWriter(style: .compact)
        writer.writeRaw(#"{"id":"#.utf8)
        writer.writeString(event.id)
        writer.writeRaw(#","type":"#.utf8)
        writer.writeString(event.type)
        writer.writeRaw(#","created_at":"#.utf8)
        writer.writeString(Timestamp.iso8601(event.occurredAt))
        writer.writeRaw(#","data":"#.utf8)
        writer.write(event.data)
        writer.writeRaw("}".utf8)
        return .body(writer.bytes)
    }

    public func headers(for message: OutgoingMessage) -> [(String, String)] {
        [("X-VPN-Signature", "sha256=" + HMACSignature.hex(secret: message.secret, message: message.body))]
    }

    public func problem(withSecret secret: String) -> String? {
        if let problem = SecretGenerator.headerSafetyProblem(secret) { return problem }
        return secret.utf8.count < 16 ? "secret must be at least 16 characters" : nil
    }
}
