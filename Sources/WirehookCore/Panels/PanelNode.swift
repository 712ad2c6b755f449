import struct Foundation.Date

/// A proxy node (a server users connect through) as Remnawave and Marzban describe one, in
/// panel-neutral units: the hub every node translation goes through.
///
/// Absent means "the source did not say"; each target decides its own empty or derived value, and
/// `docs/dialects.md` lists that choice per field.
public struct PanelNode: Sendable, Equatable {
    /// Marzban's `NodeStatus`; Remnawave says the same with three flags.
    public enum Status: String, Sendable, CaseIterable {
        case connected, connecting, error, disabled
    }

    public var name: String = ""
    /// Host name or IP the panel reaches the node at.
    public var address: String = ""
    /// The node's own port (Remnawave `port`, Marzban `port`, the node service).
    public var port: Int64?
    /// Marzban's Xray API port; Remnawave has none.
    public var apiPort: Int64?
    /// nil: the source did not say.
    public var status: Status?
    /// Why the node is in its status (Remnawave `lastStatusMessage`, Marzban `message`).
    public var statusMessage: String?
    public var statusChangedAt: Date?
    /// The panel's numeric node id (Remnawave 3.x `id`, Marzban `id`).
    public var panelID: Int64?
    /// Remnawave's node UUID.
    public var uuid: String?
    /// Traffic through the node counts this many times (Remnawave `consumptionMultiplier`,
    /// Marzban `usage_coefficient`); nil is the panels' default, 1.
    public var usageCoefficient: Double?
    public var trafficTrackingActive: Bool?
    /// Bytes; nil is unknown or unlimited.
    public var trafficLimitBytes: Int64?
    public var trafficUsedBytes: Int64?
    /// Day of the month the node's traffic counter resets.
    public var trafficResetDay: Int64?
    /// Percent of the limit at which Remnawave sends `node.traffic_notify`.
    public var notifyPercent: Int64?
    public var note: String?
    public var viewPosition: Int64?
    /// ISO 3166 alpha-2, or Remnawave's `XX` for unknown.
    public var countryCode: String?
    public var tags: [String] = []
    public var createdAt: Date?
    public var updatedAt: Date?
    public var xrayVersion: String?
    /// The node software's own version (Remnawave `versions.node`).
    public var nodeVersion: String?
    public var xrayUptimeSeconds: Double?
    public var usersOnline: Int64?
    /// Remnawave-only structures (`configProfile`, `ips`, `integrationUuids`, `provider`,
    /// `providerUuid`, `activePluginUuid`, `system`, `nodeConsumptionMultiplier`, `proxyUrl`),
    /// kept as the panel sent them so a Remnawave node written back is whole; no other panel has
    /// them, so no other panel's writer reads them.
    public var remnawaveDetails: [String: JSONValue] = [:]

    public init() {}
}
