/// Picks the fields the dialects put in their envelopes (a username, an entity identifier) out of
/// event data that may have come from any panel.
enum DialectFields {
    static func username(of event: Event) -> String {
        let data = event.data
        return data["username"]?.stringValue ?? data["user"]?["username"]?.stringValue
            ?? data["Identifier"]?.stringValue ?? data["email"]?.stringValue ?? data["user_id"]?.stringValue
            ?? event.attributes["identifier"]?.stringValue ?? ""
    }

    static func identifier(of event: Event, entity: String) -> String {
        if let given = event.attributes["identifier"]?.stringValue { return given }
        let data = event.data
        let candidates: [JSONValue?] = [
            data["Identifier"], data["Peer"]?["Identifier"], data["PeerId"], data["PublicKey"], data["uuid"],
            data["username"], data["user_id"], data["id"],
        ]
        for candidate in candidates {
            if let text = candidate?.stringValue { return text }
        }
        return ""
    }
}
