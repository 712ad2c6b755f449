/// The canonical node fields, by name: node mapping rules say which ones they read or write, so
/// the node tables in `docs/dialects.md` are built from the same rules the code runs.
public enum NodeField: String, Sendable, CaseIterable {
    case name, address, port, apiPort, status, statusMessage, statusChangedAt, panelID, uuid
    case usageCoefficient, trafficTrackingActive, trafficLimitBytes, trafficUsedBytes, trafficResetDay
    case notifyPercent, note, viewPosition, countryCode, tags, createdAt, updatedAt
    case xrayVersion, nodeVersion, xrayUptimeSeconds, usersOnline, remnawaveDetails
    // Event facts.
    case occurredAt
}

/// A rule that reads one field of a node event.
public typealias NodeReadRule = FieldReadRule<NodeField, PanelNodeEvent>

/// A rule that writes one key of a panel's node object.
public typealias NodeWriteRule = FieldWriteRule<NodeField, PanelNodeEvent>

extension Array where Element == NodeReadRule {
    /// Applies every rule in order to an empty canonical node event.
    func read(_ event: Event, source: String) throws(WirehookError) -> PanelNodeEvent {
        var out = PanelNodeEvent(type: event.type, source: source, occurredAt: event.occurredAt)
        for rule in self { try rule.apply(event, &out) }
        return out
    }

    /// Like `read`, but a field of the wrong type is left unknown instead of refusing the whole
    /// node: for a caller's own `POST /events` data, which ingest does not check against a panel.
    func readLeniently(_ event: Event, source: String) -> PanelNodeEvent {
        var out = PanelNodeEvent(type: event.type, source: source, occurredAt: event.occurredAt)
        for rule in self {
            var attempt = out
            if (try? rule.apply(event, &attempt)) != nil { out = attempt }
        }
        return out
    }
}
