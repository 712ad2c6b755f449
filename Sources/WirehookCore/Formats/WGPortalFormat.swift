/// WireGuard Portal: `{"event","entity","identifier","payload"}` as Go writes it, with the
/// configured value verbatim in `Authorization`.
public struct WGPortalFormat: WebhookFormat {
    public let name = "wg-portal"
    let catalog: EventCatalog

    public init(catalog: EventCatalog = .standard) { self.catalog = catalog }

    public func render(_ event: Event) -> Rendering {
        guard let entry = catalog.entry(event.type), let names = entry.names.wgPortal else {
            return .skip(reason: "wg-portal has no event for '\(event.type)'")
        }
        var payload = event.data
        var identifier = DialectFields.identifier(of: event, entity: names.entity)
        if names.entity == "user", let translated = PanelTranslator.foreign(event, target: name) {
            payload = WriteRule.object(PanelUser.wgPortalWriter, translated)
            identifier = translated.user.username
        }
        var writer = JSONWriter(style: .go)
        writer.writeRaw(#"{"event":"#.utf8)
        writer.writeString(names.event)
        writer.writeRaw(#","entity":"#.utf8)
        writer.writeString(names.entity)
        writer.writeRaw(#","identifier":"#.utf8)
        writer.writeString(identifier)
        writer.writeRaw(#","payload":"#.utf8)
        writer.write(payload)
        writer.writeRaw("}".utf8)
        return .body(writer.bytes)
    }

    public func headers(for message: OutgoingMessage) -> [(String, String)] {
        message.secret.isEmpty ? [] : [("Authorization", message.secret)]
    }

    public func problem(withSecret secret: String) -> String? {
        secret.isEmpty ? nil : SecretGenerator.headerSafetyProblem(secret)
    }

    public func generateSecret() -> String { "Bearer " + SecretGenerator.alphanumeric(length: 40) }
}
