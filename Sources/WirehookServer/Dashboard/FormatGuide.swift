/// What each format means and which options it reads, for the endpoint form.
///
/// Only help text lives here; the rules stay with each format's `problem(withOptions:)`, which
/// the form's input reaches through the API's own validation.
struct FormatGuide: Sendable {
    struct Option: Sendable {
        enum Kind: Sendable { case text, number, flag }
        var key: String
        var label: String
        var kind: Kind
        var help: String
    }

    var name: String
    var summary: String
    var options: [Option]

    static let all: [FormatGuide] = [
        FormatGuide(
            name: "standard",
            summary: "Standard Webhooks: JSON {type, timestamp, data} signed in webhook-id, webhook-timestamp and "
                + "webhook-signature headers. Pick this for your own services and bots.",
            options: []),
        FormatGuide(
            name: "remnawave",
            summary: "Remnawave's own webhook: {scope, event, timestamp, data} signed with X-Remnawave-Signature, "
                + "so receivers written for Remnawave work unchanged.",
            options: []),
        FormatGuide(
            name: "marzban",
            summary: "Marzban's notifications: a JSON array per flush with the secret in x-webhook-secret, for "
                + "receivers written for Marzban.",
            options: [
                Option(key: "batch_interval_seconds", label: "Batch interval (seconds)", kind: .number, help: "1 to 3600"),
                Option(key: "hmac_signature", label: "Also sign with HMAC", kind: .flag, help: ""),
                Option(key: "marzban_admin", label: "Admin name", kind: .text, help: "1 to 64 characters"),
            ]),
        FormatGuide(
            name: "wg-portal",
            summary: "WireGuard Portal: {event, entity, identifier, payload}, the secret verbatim in Authorization.",
            options: []),
        FormatGuide(
            name: "vpn-enterprise",
            summary: "VPN Enterprise: {id, type, created_at, data} signed with X-VPN-Signature: sha256=<hex>.",
            options: []),
        FormatGuide(
            name: "discord",
            summary: "A Discord channel webhook: one embed per event. The URL is Discord's webhook URL.",
            options: []),
        FormatGuide(
            name: "telegram",
            summary: "A Telegram bot's sendMessage. The secret is the bot token, the URL the Bot API "
                + "(https://api.telegram.org unless you use a proxy).",
            options: [
                Option(key: "chat_id", label: "Chat id", kind: .text, help: "an integer, or @channelname")
            ]),
    ]

    /// Options every format reads.
    static let common: [Option] = [
        Option(key: "timeout_seconds", label: "Timeout (seconds)", kind: .number, help: "1 to 60; empty for the server's default"),
        Option(key: "allow_custom_types", label: "Accept event types outside the catalog", kind: .flag, help: ""),
    ]

    static func guide(_ name: String) -> FormatGuide? { all.first { $0.name == name } }
}
