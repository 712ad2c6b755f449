import WirehookCore

/// API keys as people read them; the key itself appears only in the answer that created it.
public enum KeyViews {
    public static func list(_ answer: JSONValue, palette: Palette) -> String {
        let items = answer["api_keys"]?.arrayValue ?? []
        guard !items.isEmpty else { return "No API keys." }
        var table = Table(["ID", "NAME", "SCOPES", "CREATED", "LAST USED"])
        for item in items {
            table.add([
                .init(Display.text(item["id"])), .init(Display.text(item["name"])), .init(Display.text(item["scopes"])),
                .init(Display.time(item["created_at"])), .init(Display.time(item["last_used_at"])),
            ])
        }
        return table.render(palette: palette)
    }

    public static func created(_ answer: JSONValue, palette: Palette) -> String {
        let key = answer["api_key"]
        return Display.details(
            [
                ("id", Display.text(key?["id"])), ("name", Display.text(key?["name"])),
                ("scopes", Display.text(key?["scopes"])), ("key", Display.text(key?["key"])),
            ], palette: palette)
            + "\n" + palette.paint("The key is shown only now; Wirehook keeps only its hash.", .warning)
    }
}
