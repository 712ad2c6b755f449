/// The field-by-field tables of `docs/dialects.md`, one per direction, built from the same
/// `ReadRule`s and `WriteRule`s the translation runs, so the page cannot drift from the code.
public enum MappingDocument {
    static let titles = ["remnawave": "Remnawave", "marzban": "Marzban", "wg-portal": "wg-portal"]

    /// Every direction between two different panels.
    public static var directions: [(source: String, target: String)] {
        PanelTranslator.panels.flatMap { source in
            PanelTranslator.panels.filter { $0 != source }.map { (source, $0) }
        }
    }

    public static func markdown() -> String {
        var out = "\n## Field by field, per direction\n\n" + decisions + "\n"
        for (source, target) in directions {
            out += table(source: source, target: target)
        }
        out += "\n## Nodes, field by field\n\n" + nodeDecisions
        for (source, target) in nodeDirections {
            out += nodeTable(source: source, target: target)
        }
        return out
    }

    /// The node directions: between the two panels with a node model, and a caller's own
    /// (`POST /events`) node into Remnawave, the only dialect with node events.
    public static let nodeDirections: [(source: String, target: String)] = [
        ("remnawave", "marzban"), ("marzban", "remnawave"), ("api", "remnawave"),
    ]

    /// Where each target node key comes from when translating from `source` to `target`.
    public static func nodeRows(source: String, target: String) -> [(key: String, from: String, how: String)] {
        // A caller's node is read as a (possibly partial) Remnawave node.
        guard let reader = PanelTranslator.nodeReader(for: source == "api" ? "remnawave" : source) else { return [] }
        let writer: [NodeWriteRule]
        switch target {
        case "remnawave": writer = PanelNode.remnawaveWriter
        case "marzban": writer = PanelNode.marzbanWriter
        default: return []
        }
        let prefix = target == "remnawave" ? "data." : ""
        return writer.map { rule in
            let parts = rule.reads.compactMap { field in reader.first { $0.field == field }?.from }
            return (key: "`\(prefix)\(rule.key)`", from: parts.isEmpty ? "(none)" : parts.joined(separator: "; "), how: rule.how)
        }
    }

    static func nodeTable(source: String, target: String) -> String {
        let sourceTitle = source == "api" ? "`POST /events`" : titles[source] ?? source
        let targetTitle = titles[target] ?? target
        var out = "\n### Node: \(sourceTitle) → \(targetTitle)\n\n"
        out += "| \(targetTitle) field | from \(sourceTitle) | how |\n| --- | --- | --- |\n"
        for row in nodeRows(source: source, target: target) {
            out += "| \(row.key) | \(escape(row.from)) | \(escape(row.how)) |\n"
        }
        return out
    }

    /// Where each target key comes from when translating from `source` to `target`.
    public static func rows(source: String, target: String) -> [(key: String, from: String, how: String)] {
        guard let reader = PanelTranslator.reader(for: source) else { return [] }
        func from(_ fields: [PanelField]) -> String {
            let parts = fields.compactMap { field in reader.first { $0.field == field }?.from }
            return parts.isEmpty ? "(none)" : parts.joined(separator: "; ")
        }
        func rows(_ rules: [WriteRule], prefix: String = "") -> [(String, String, String)] {
            rules.map { ("`\(prefix)\($0.key)`", from($0.reads), $0.how) }
        }
        switch target {
        case "remnawave":
            return [
                ("`scope`", "(none)", "`user`"),
                ("`event`", "event name", "the catalog's Remnawave name (table above)"),
                ("`timestamp`", from([.occurredAt]), "ISO with ms, `Z`"),
            ] + rows(PanelUser.remnawaveWriter, prefix: "data.")
                + rows([PanelUser.remnawaveMeta])
        case "marzban":
            return [
                ("`enqueued_at`", from([.occurredAt]), "Unix seconds as a Python float"),
                ("`send_at`", from([.occurredAt]), "same as `enqueued_at`"),
                ("`tries`", "(none)", "attempts made before this one (0 on the first send)"),
                ("`username`", from([.username]), "verbatim"),
                ("`action`", "event name", "the catalog's Marzban action (table above)"),
            ] + rows(PanelUser.marzbanElementWriter) + rows(PanelUser.marzbanUserWriter, prefix: "user.")
        case "wg-portal":
            return [
                ("`event`, `entity`", "event name", "`create`/`update`/`delete`, `user`"),
                ("`identifier`", from([.username]), "the user's `Identifier`"),
            ] + rows(PanelUser.wgPortalWriter, prefix: "payload.")
        default:
            return []
        }
    }

    static func table(source: String, target: String) -> String {
        var out = "\n### \(titles[source] ?? source) → \(titles[target] ?? target)\n\n"
        out += "| \(titles[target] ?? target) field | from \(titles[source] ?? source) | how |\n| --- | --- | --- |\n"
        for row in rows(source: source, target: target) {
            out += "| \(row.key) | \(escape(row.from)) | \(escape(row.how)) |\n"
        }
        return out
    }

    static func escape(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }

    static let nodeDecisions = """
        A node (`PanelNode`) is one proxy server: name, address, port, status, usage coefficient,
        traffic counters, versions. Only Remnawave sends node events (`node.*`); Marzban has no
        node notifications, so node events stay skipped for Marzban endpoints, and its
        `NodeResponse` mapping below is the model's meaning, not a delivery. Decisions:

        - **A Remnawave node to a Remnawave receiver keeps its bytes**, as a user does. A node
          event from anywhere else (`POST /events`, `wirehook send`, the catalog example) is read
          as a possibly partial Remnawave node (a Marzban node by Marzban's rules), a field of the
          wrong type counting as unknown, and written whole: every key the panel sends and every key the Python SDK's `NodeDto`
          requires (`uuid`, `name`, `address`, the three status flags, `consumptionMultiplier`,
          `isTrafficTrackingActive`, `viewPosition`, `countryCode`, `createdAt`, `updatedAt`,
          `configProfile`). Keys of the caller's data that the model does not know follow, as
          written.
        - **Derived ids** follow the user rule with the key `<source>:node:<name>` (both panels
          keep node names unique): `uuid` is UUIDv5 of it in `9fa2cfb3-04c3-5953-bc4b-6cbce2cb4b0b`,
          `id` the 48-bit `DerivedID.integer` of it. A panel's numeric `id` numbers that panel's
          nodes only, so it is carried to the same panel and derived for the other; a caller's
          own `id` is kept.
        - **Status**: Marzban's `connected`, `connecting`, `error`, `disabled` are Remnawave's
          `isConnected`, `isConnecting`, none of the three (not connected), `isDisabled`.
        - **Ports**: both panels' `port` is the port the panel reaches the node at; Marzban's
          `api_port` (Xray API) has no Remnawave counterpart.
        - **Remnawave-only structures** (`configProfile`, `ips`, `provider`, `system`, …) are kept
          as a Remnawave source sent them and get the panel's empty values otherwise; Marzban
          drops them.
        - **wg-portal** is not mapped: its nearest thing, an interface (`wg0`), is a WireGuard
          device on the portal's own host with keys, addresses and MTU, not a proxy server the
          panel manages with status, coefficient and traffic; interface events have no
          Remnawave or Marzban counterpart and stay skipped there.

        """

    static let decisions = """
        User events (nodes: see "Nodes, field by field" below) are translated only when they came from a panel (`/ingest/…`) and go
        to a different panel's dialect. A Remnawave event relayed to a Remnawave receiver, or a
        Marzban one to a Marzban receiver, keeps the panel's own fields (and Remnawave's `meta`
        exactly as it came). An event from `POST /events` is the caller's own data and is carried
        as written (for Marzban, as `user`). `standard` endpoints always get the source's data
        unchanged under the canonical event name.

        Every translation reads the source into one panel-neutral user (`PanelUser`,
        `Sources/WirehookCore/Panels`) and writes the target's own model from it; nothing is
        passed on under another panel's name. Decisions, from the panels' current sources
        (remnawave/backend 3.x, remnawave/python-sdk 2.8, Gozargah/Marzban 0.8.4, wg-portal master):

        - **Ids the source cannot supply** are derived from the source panel and username, the
          same for every event about that user: `uuid` is UUIDv5 of `<panel>:<username>` in the
          namespace `9fa2cfb3-04c3-5953-bc4b-6cbce2cb4b0b` (itself UUIDv5 of `wirehook.panel-ids`
          in the DNS namespace); `id` is the first 6 bytes of SHA-256 of
          `wirehook:<panel>:<username>` (below 2^48, safe in JavaScript); `shortUuid` is 16
          characters of Remnawave's nanoid alphabet from the same hash; a missing `vlessUuid` is
          UUIDv5 of `<panel>:<username>:vless`. Credentials are never invented otherwise: a
          missing Trojan or Shadowsocks password is `""`, a Marzban user without one has no such
          proxy.
        - **Remnawave `uuid`**: 3.x panels no longer send it, but the Python SDK's `UserDto`
          requires it, so translated users carry it (first, where 2.x had it) next to `id`.
        - **Remnawave `meta`** is left out except on `user.expiration` and `user.not_connected`,
          as the panel's sender leaves it out (its zod contract says `nullable`; the sender wins).
        - **Never expires**: Remnawave has no null `expireAt`; year 2099 is its "never" (the
          subscription headers treat it so), written as `2099-12-31T15:13:22.214Z` like
          remnawave/migrate. Marzban's never is `null` (0 is read as never too).
        - **Unlimited traffic**: Remnawave `0`, Marzban `null` (0 read as unlimited too).
        - **Statuses**: Marzban's are lower case; `on_hold` becomes Remnawave `ACTIVE` (as
          remnawave/migrate does). **Resets**: Marzban `year` → `NO_RESET`, Remnawave
          `MONTH_ROLLING` → `month` (the closest each has).
        - **`used_percent`** is Marzban's own formula, `used_traffic × 100 ÷ data_limit`, when the
          source has both; else Remnawave's `lastTriggeredThreshold` (the threshold crossed).
          Back to Remnawave, `lastTriggeredThreshold` is `used_percent` rounded down.
        - **`days_left`** is `floor(−meta.expiration ÷ 24)`: Marzban computes
          `(expire − now).days`, which floors, so −72 h → 3, −24 h → 1, −12 h → 0.
          A `user.expiration` at or after expiry (`meta.expiration ≥ 0`) is not sent to Marzban,
          which has no such reminder (`user_expired` covers it); the delivery is logged `skipped`.
          Back to Remnawave, `days_left = d` is `meta.expiration = −24 × max(d, 1)`: Marzban's 0
          means under a day left, which Remnawave's reminders call −24 (0 would read "expired 0
          hours ago"), and 3, 2, 1 give Remnawave's default −72, −48, −24.
        - **`by`**: the acting admin. Remnawave names none, so Wirehook writes Marzban's `Admin`
          shape with the name `wirehook`, or the endpoint's `options.marzban_admin`; the same
          object is `user.admin` (bots read `user.admin.username`). wg-portal's `UpdatedBy`
          (`CreatedBy` on create) is a real actor and is used as is.
        - **Times**: Remnawave ISO with milliseconds and `Z`; Marzban `expire` in whole Unix
          seconds and its other times naive UTC (`2026-01-15T10:00:00`, microseconds when not
          zero); wg-portal RFC 3339 in UTC. `enqueued_at` and `send_at` of a translated element
          are the event's time; an element from Marzban keeps its own.
        - **A Marzban `user_deleted`** has no `user`; to Remnawave its user is built from the
          username alone (status `DISABLED`: a deleted user cannot connect, and Remnawave has no
          deleted status; counters 0, never expires, times = the event time).
        - **wg-portal** users have no traffic, limit, expiry, Telegram id or subscription URL:
          their targets get the empty values below. `Disabled` set means disabled; `Locked` only
          blocks the portal login and is ignored. Peer, interface and connection events have no
          user counterpart in the other panels and are skipped there.
        - **Fields with no home** in the target are dropped, not renamed: e.g. Remnawave `tag`,
          `hwidDeviceLimit`, `activeInternalSquads`, `telegramId` for Marzban; Marzban `inbounds`,
          `links`, `on_hold_*`, `next_plan` for Remnawave.

        **A Marzban batch with one element a receiver rejects.** Marzban re-sends the whole array
        after 180 s and drops all of it after four tries. Wirehook sends a flush's due
        notifications in one array; when that request fails, each element that failed is sent
        alone from then on, so the rejected one fails (and is given up after the retry schedule,
        logged `failed`) by itself while the others are delivered at the next flush.

        """
}
