import WirehookVerify

/// Telegram: a bot's `sendMessage` with an HTML-escaped summary. The endpoint's secret is the
/// bot token (so it is masked like any secret), `options.chat_id` the chat, and the URL the Bot
/// API's base (`https://api.telegram.org` unless a proxy is used).
public struct TelegramFormat: WebhookFormat {
    public let name = "telegram"
    let catalog: EventCatalog

    public init(catalog: EventCatalog = .standard) { self.catalog = catalog }

    /// Stores the message text as a JSON string; chat and token are added per endpoint.
    public func render(_ event: Event) -> Rendering {
        let summary = EventSummary(event, catalog: catalog)
        var text = "<b>\(Self.escape(summary.title))</b>"
        for line in summary.lines {
            text += "\n<b>\(Self.escape(line.label))</b>: \(Self.escape(line.value))"
        }
        text += "\n<i>\(Self.escape(event.type))</i>"
        return .body(JSONWriter.serialize(.string(String(text.prefix(4000)))))
    }

    public func request(for outgoing: OutgoingRequest) -> PreparedRequest {
        let base = outgoing.endpointURL.hasSuffix("/") ? String(outgoing.endpointURL.dropLast()) : outgoing.endpointURL
        var writer = JSONWriter(style: .compact)
        writer.writeRaw(#"{"chat_id":"#.utf8)
        writer.write(outgoing.options["chat_id"] ?? .null)
        writer.writeRaw(#","text":"#.utf8)
        writer.writeRaw(outgoing.items[0].body)
        writer.writeRaw(#","parse_mode":"HTML","disable_web_page_preview":true}"#.utf8)
        return PreparedRequest(url: base + "/bot" + outgoing.secret + "/sendMessage", headers: [], body: writer.bytes)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    public func problem(withSecret secret: String) -> String? {
        let parts = secret.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, parts[0].allSatisfy(\.isNumber), parts[1].count >= 20,
            parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        else { return "a telegram endpoint's secret is the bot token, e.g. 123456:ABC-DEF…" }
        return nil
    }

    public func generateSecret() -> String { "" }

    public func problem(withOptions options: JSONValue) -> String? {
        let problem = "options.chat_id must be the chat's id: an integer, or @channelname"
        switch options["chat_id"] {
        case nil: return "options.chat_id is required: the chat's id (an integer, or @channelname)"
        case .number(let n)?: return Int64(n) != nil ? nil : problem
        case .string(let s)?:
            if Int64(s) != nil { return nil }
            // Telegram usernames: 5 to 32 letters, digits and underscores.
            let name = s.dropFirst()
            let valid = s.hasPrefix("@") && (5...32).contains(name.count)
                && name.unicodeScalars.allSatisfy { ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) || $0 == "_" }
            return valid ? nil : problem
        default: return problem
        }
    }
}
