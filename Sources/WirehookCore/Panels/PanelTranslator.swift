/// Reads a panel's user event into the canonical model, for delivery in another panel's dialect.
///
/// Only events that came from a panel are translated; an event from `POST /events` is the
/// caller's own data and keeps its content (see `docs/dialects.md`).
public enum PanelTranslator {
    public static let panels = ["remnawave", "marzban", "wg-portal"]

    public static func reader(for panel: String) -> [ReadRule]? {
        switch panel {
        case "remnawave": PanelUser.remnawaveReader
        case "marzban": PanelUser.marzbanReader
        case "wg-portal": PanelUser.wgPortalReader
        default: nil
        }
    }

    /// The canonical user event, nil when the event is not a user event from a panel; throws
    /// (a 422 naming the field) when a field has the wrong type or an unknown enum value.
    public static func read(_ event: Event) throws(WirehookError) -> PanelUserEvent? {
        guard event.type.hasPrefix("user."), let reader = reader(for: event.source) else { return nil }
        guard case .object = event.data else {
            throw .invalid("'data' of a \(event.source) user event must be the panel's user object")
        }
        return try reader.read(event, source: event.source)
    }

    /// The canonical event when `event` came from a panel other than `target`.
    static func foreign(_ event: Event, target: String) -> PanelUserEvent? {
        guard event.source != target else { return nil }
        // Ingest refuses what cannot be read, so a failure here is a row written by an older version.
        return (try? read(event)) ?? nil
    }

    /// Marzban's `days_left` as Remnawave hours: `-24 × max(days, 1)`, in doubles as the panel's
    /// JavaScript computes (no trap on a huge value; beyond a double it is `null`).
    static func expirationHours(daysLeft: Double) -> JSONValue {
        .double(-24 * max(daysLeft, 1))
    }
}
