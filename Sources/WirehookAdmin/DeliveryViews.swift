import WirehookCore

/// Deliveries and their attempts as people read them.
public enum DeliveryViews {
    /// `GET /webhooks/:id/deliveries`: one line per delivery, newest first.
    public static func list(_ answer: JSONValue, palette: Palette) -> String {
        let items = answer["deliveries"]?.arrayValue ?? []
        guard !items.isEmpty else { return "No deliveries." }
        var table = Table(["ID", "STATUS", "EVENT", "EVENT ID", "ATTEMPTS", "HTTP", "LATENCY", "CREATED", "NEXT ATTEMPT"])
        for item in items {
            let status = Display.text(item["status"])
            table.add([
                .init(Display.text(item["id"])),
                .init(status, tone: Palette.tone(forOutcome: status)),
                .init(Display.text(item["event_type"])),
                .init(Display.text(item["event_id"])),
                .init(Display.text(item["attempts"])),
                .init(Display.text(item["response_status"])),
                .init(Display.latency(item["response_time_ms"]?.intValue)),
                .init(Display.time(item["created_at"])),
                .init(Display.time(item["next_attempt_at"])),
            ])
        }
        var text = table.render(palette: palette)
        if answer["has_more"]?.boolValue == true, let cursor = answer["next_cursor"]?.stringValue {
            text += "\n" + palette.paint("More: --cursor \(cursor)", .dim)
        }
        return text
    }

    /// One delivery with every attempt.
    public static func detail(_ delivery: JSONValue?, palette: Palette) -> String {
        guard let delivery else { return "-" }
        var text = Display.details(
            [
                ("id", Display.text(delivery["id"])),
                ("webhook", Display.text(delivery["webhook_id"])),
                ("event", "\(Display.text(delivery["event_type"])) (\(Display.text(delivery["event_id"])))"),
                ("status", Display.text(delivery["status"])),
                ("attempts", Display.text(delivery["attempts"])),
                ("last HTTP status", Display.text(delivery["response_status"])),
                ("created", Display.time(delivery["created_at"])),
                ("delivered", Display.time(delivery["delivered_at"])),
                ("next attempt", Display.time(delivery["next_attempt_at"])),
            ] + (delivery["note"]?.stringValue.map { [("note", $0)] } ?? []),
            palette: palette)
        let attempts = delivery["attempt_log"]?.arrayValue ?? []
        guard !attempts.isEmpty else { return text }
        var table = Table(["#", "TIME", "HTTP", "LATENCY", "TRIGGER", "ERROR"])
        for attempt in attempts {
            let code = attempt["response_status"]?.intValue
            let ok = code.map { (200..<300).contains($0) } ?? false
            table.add([
                .init(Display.text(attempt["attempt"])),
                .init(Display.time(attempt["attempted_at"])),
                .init(code.map(String.init) ?? "-", tone: ok ? .good : .bad),
                .init(Display.latency(attempt["response_time_ms"]?.intValue)),
                .init(Display.text(attempt["trigger"])),
                .init(Display.text(attempt["error"])),
            ])
        }
        text += "\n\n" + table.render(palette: palette)
        return text
    }
}
