import WirehookVerify

/// Remnawave: `{"scope","event","timestamp","data"}` (plus `meta` for user events), written as
/// `JSON.stringify` writes it, signed with hex HMAC-SHA256 of the body in `X-Remnawave-Signature`.
public struct RemnawaveFormat: WebhookFormat {
    public let name = "remnawave"
    let catalog: EventCatalog

    public init(catalog: EventCatalog = .standard) { self.catalog = catalog }

    public func render(_ event: Event) -> Rendering {
        guard let entry = catalog.entry(event.type), let remnawaveName = entry.names.remnawave,
            let scope = entry.names.remnawaveScope
        else { return .skip(reason: "Remnawave has no event for '\(event.type)'") }
        var data = event.data
        var meta: JSONValue?
        if scope == "user", let translated = PanelTranslator.foreign(event, target: name) {
            // Another panel's user: the panel's own user object, never the source's under this name.
            data = WriteRule.object(PanelUser.remnawaveWriter, translated)
            meta = PanelUser.remnawaveMeta.value(translated)
        } else if scope == "node", let translated = PanelTranslator.foreignNode(event, target: name) {
            // Not from Remnawave: every key of the panel's node, so the SDK's `NodeDto` parses it.
            let callerData = PanelTranslator.panels.contains(event.source) ? nil : event.data
            data = PanelNode.remnawaveObject(translated, callerData: callerData)
        } else if scope == "user" {
            // From Remnawave: `meta` exactly as it came (present, null or absent); otherwise derived.
            meta = event.attributes["meta"] ?? Self.meta(for: entry.name, data: event.data)
        }
        var writer = JSONWriter(style: .javascript)
        writer.writeRaw(#"{"scope":"#.utf8)
        writer.writeString(scope)
        writer.writeRaw(#","event":"#.utf8)
        writer.writeString(remnawaveName)
        writer.writeRaw(#","timestamp":"#.utf8)
        writer.writeString(Timestamp.iso8601(event.occurredAt))
        writer.writeRaw(#","data":"#.utf8)
        writer.write(data)
        if let meta {
            writer.writeRaw(#","meta":"#.utf8)
            writer.write(meta)
        }
        writer.writeRaw("}".utf8)
        return .body(writer.bytes)
    }

    /// The panel's `meta` for an event posted to `POST /events`: for `user.expiration`, hours
    /// from `days_left` (`-24 × max(days, 1)`, see `PanelTranslator.expirationHours`); otherwise
    /// none, and the key is left out as the panel leaves it out.
    static func meta(for name: String, data: JSONValue) -> JSONValue? {
        if name == "user.expiration", let days = data["days_left"]?.doubleValue {
            return ["expiration": PanelTranslator.expirationHours(daysLeft: days)]
        }
        return nil
    }

    public func headers(for message: OutgoingMessage) -> [(String, String)] {
        [
            ("X-Remnawave-Signature", HMACSignature.hex(secret: message.secret, message: message.body)),
            ("X-Remnawave-Timestamp", Timestamp.iso8601(message.occurredAt)),
        ]
    }

    public func problem(withSecret secret: String) -> String? {
        Self.secretProblem(secret)
    }

    /// The panel's own rule for `WEBHOOK_SECRET_HEADER`: letters and digits only, 32 or more.
    public static func secretProblem(_ secret: String) -> String? {
        guard secret.utf8.count >= 32, secret.utf8.count <= 512,
            secret.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) })
        else { return "a Remnawave secret is 32 or more letters and digits (A-Z, a-z, 0-9)" }
        return nil
    }

    public func generateSecret() -> String { SecretGenerator.alphanumeric(length: 64) }
}
