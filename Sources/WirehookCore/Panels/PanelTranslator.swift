/// Reads a panel's user or node event into the canonical model, for delivery in another panel's dialect.
///
/// User events are translated only when they came from a panel; an event from `POST /events` is
/// the caller's own data and keeps its content. Node events from anywhere but Remnawave are
/// completed into Remnawave's node model, since that is the only panel that sends them (see
/// `docs/dialects.md`).
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

    public static func nodeReader(for panel: String) -> [NodeReadRule]? {
        switch panel {
        case "remnawave": PanelNode.remnawaveReader
        case "marzban": PanelNode.marzbanReader
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

    /// The canonical node event of a panel's node event, nil when the event is not a node event
    /// from a panel with a node model; throws (a 422 naming the field) on a wrong type.
    public static func readNode(_ event: Event) throws(WirehookError) -> PanelNodeEvent? {
        guard event.type.hasPrefix("node."), let reader = nodeReader(for: event.source) else { return nil }
        guard case .object = event.data else {
            throw .invalid("'data' of a \(event.source) node event must be the panel's node object")
        }
        return try reader.read(event, source: event.source)
    }

    /// `node` in `panel`'s own node model, nil for a panel without one.
    public static func writeNode(_ node: PanelNodeEvent, for panel: String) -> JSONValue? {
        switch panel {
        case "remnawave": NodeWriteRule.object(PanelNode.remnawaveWriter, node)
        case "marzban": NodeWriteRule.object(PanelNode.marzbanWriter, node)
        default: nil
        }
    }

    /// The canonical node event when `event` is a node event that did not come from `target`,
    /// so a node from the target panel keeps its bytes as a user does. A panel's node is read
    /// by that panel's rules; anything else (`POST /events`, the catalog example) is read as a
    /// possibly partial Remnawave node. Either way a field of the wrong type counts as unknown.
    static func foreignNode(_ event: Event, target: String) -> PanelNodeEvent? {
        guard event.type.hasPrefix("node."), event.source != target else { return nil }
        // Ingest does not check node bodies (only Remnawave sends them, and they reach only
        // Remnawave receivers as they came), so a wrong-typed field is unknown, never a pass-through.
        let reader = nodeReader(for: event.source) ?? PanelNode.remnawaveReader
        return reader.readLeniently(event, source: event.source)
    }
}
