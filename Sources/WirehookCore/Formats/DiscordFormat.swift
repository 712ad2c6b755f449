/// Discord: an embed per event, coloured by user status as Marzban's own Discord notifications are.
public struct DiscordFormat: WebhookFormat {
    public let name = "discord"
    let catalog: EventCatalog

    public init(catalog: EventCatalog = .standard) { self.catalog = catalog }

    static func colour(for status: String?) -> Int {
        switch status {
        case "active": return 0x9ae6b4
        case "disabled": return 0x424b59
        case "limited": return 0xf8a7a8
        case "expired": return 0xfbd38d
        default: return 0x5865f2
        }
    }

    public func render(_ event: Event) -> Rendering {
        let summary = EventSummary(event, catalog: catalog)
        let description = summary.lines.map { "**\(Self.escape($0.label)):** \(Self.escape($0.value))" }
            .joined(separator: "\n")
        let embed: JSONValue = [
            "title": .string(String(summary.title.prefix(256))),
            "description": .string(String(description.prefix(4000))),
            "color": .int(Self.colour(for: summary.status)),
            "footer": ["text": .string("Wirehook · \(event.type)")],
            "timestamp": .string(Timestamp.iso8601(event.occurredAt)),
        ]
        return .body(JSONWriter.serialize(["content": "", "embeds": [embed]]))
    }

    /// Discord markdown would otherwise turn user-controlled text into formatting or mentions.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            if "*_~`|>\\".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out.replacingOccurrences(of: "@", with: "@\u{200B}")
    }

    public func problem(withSecret secret: String) -> String? { nil }
    public func generateSecret() -> String { "" }
}
