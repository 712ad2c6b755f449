import WirehookVerify

/// Standard Webhooks: body `{"type","timestamp","data"}`, `webhook-id`/`-timestamp`/`-signature` headers.
public struct StandardFormat: WebhookFormat {
    public let name = "standard"
    public let signsWithEverySecret = true

    public init() {}

    public func render(_ event: Event) -> Rendering {
        var writer = JSONWriter(style: .compact)
        writer.writeRaw(#"{"type":"#.utf8)
        writer.writeString(event.type)
        writer.writeRaw(#","timestamp":"#.utf8)
        writer.writeString(Timestamp.iso8601(event.occurredAt))
        writer.writeRaw(#","data":"#.utf8)
        writer.write(event.data)
        writer.writeRaw("}".utf8)
        return .body(writer.bytes)
    }

    public func headers(for message: OutgoingMessage) -> [(String, String)] {
        // Saturating: `Int64(Double)` traps on a date out of range, and this one is a clock's.
        let timestamp = Int64(saturating: message.attemptedAt.timeIntervalSince1970)
        var headers = [("webhook-id", message.eventID), ("webhook-timestamp", String(timestamp))]
        // During rotation a secret field may hold several space-separated secrets; sign with each.
        let signatures = message.secret.split(separator: " ").compactMap {
            StandardWebhooks.signature(secret: String($0), id: message.eventID, timestamp: timestamp, body: message.body)
        }
        headers.append(("webhook-signature", signatures.joined(separator: " ")))
        return headers
    }

    public func problem(withSecret secret: String) -> String? {
        for part in secret.split(separator: " ", omittingEmptySubsequences: false) {
            guard part.hasPrefix(StandardWebhooks.secretPrefix),
                let key = StandardWebhooks.key(fromSecret: String(part)),
                (16...64).contains(key.count)
            else {
                return "a standard secret is 'whsec_' followed by base64 of 16 to 64 bytes"
            }
        }
        return nil
    }
}
