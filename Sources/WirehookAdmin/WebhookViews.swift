import WirehookCore

/// Webhooks (endpoints) as people read them.
public enum WebhookViews {
    /// `GET /webhooks`: one line per endpoint.
    public static func list(_ answer: JSONValue, palette: Palette) -> String {
        let items = answer["webhooks"]?.arrayValue ?? []
        guard !items.isEmpty else { return "No webhooks yet. Add one with `wirehook webhooks create --url URL --event '*'`." }
        var table = Table(["ID", "STATUS", "HEALTH", "FORMAT", "EVENTS", "PENDING", "FAILED", "LAST DELIVERY", "URL"])
        for item in items {
            let status = Display.text(item["status"])
            let health = Display.text(item["health"]?["state"])
            let stats = item["delivery_stats"]
            let failed = stats?["failed_deliveries"]?.intValue ?? 0
            table.add([
                .init(Display.text(item["id"])),
                .init(status, tone: Palette.tone(forOutcome: status)),
                .init(health, tone: Palette.tone(forOutcome: health)),
                .init(Display.text(item["format"])),
                .init(Display.text(item["events"])),
                .init(Display.text(stats?["pending_deliveries"])),
                .init(String(failed), tone: failed > 0 ? .bad : nil),
                .init(Display.time(item["last_delivery"])),
                .init(Display.text(item["url"])),
            ])
        }
        return table.render(palette: palette)
    }

    /// One endpoint in full; `secretNote` follows when the answer shows the secret.
    public static func detail(_ webhook: JSONValue?, palette: Palette) -> String {
        guard let webhook else { return "-" }
        let stats = webhook["delivery_stats"]
        let health = webhook["health"]
        var pairs: [(String, String)] = [
            ("id", Display.text(webhook["id"])),
            ("url", Display.text(webhook["url"])),
            ("status", Display.text(webhook["status"])),
            ("format", Display.text(webhook["format"])),
            ("events", Display.text(webhook["events"])),
            ("description", Display.text(webhook["description"])),
            ("secret", Display.text(webhook["secret"])),
            ("health", Display.text(health?["state"])),
        ]
        if let reason = health?["reason"]?.stringValue { pairs.append(("health reason", reason)) }
        if let probe = health?["next_probe_at"], !probe.isNull { pairs.append(("next probe", Display.time(probe))) }
        if let stats {
            pairs += [
                ("deliveries", Display.text(stats["total_deliveries"])),
                ("succeeded", Display.text(stats["successful_deliveries"])),
                ("failed", Display.text(stats["failed_deliveries"])),
                ("pending", Display.text(stats["pending_deliveries"])),
                ("avg latency", Display.latency(stats["average_response_time_ms"]?.intValue)),
                ("last success", Display.time(stats["last_successful_delivery"])),
                ("last failure", Display.time(stats["last_failed_delivery"])),
            ]
        }
        if let options = webhook["options"], !options.isNull { pairs.append(("options", JSONWriter.string(options))) }
        pairs += [("created", Display.time(webhook["created_at"])), ("updated", Display.time(webhook["updated_at"]))]
        return Display.details(pairs, palette: palette)
    }

    /// After create or rotate-secret: the endpoint and a reminder that the secret shows once.
    public static func withSecret(_ webhook: JSONValue?, palette: Palette) -> String {
        detail(webhook, palette: palette) + "\n"
            + palette.paint("The secret is shown only now; store it where the receiver reads it.", .warning)
    }
}
