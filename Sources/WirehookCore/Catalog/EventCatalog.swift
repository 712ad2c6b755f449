/// Every event type Wirehook knows: its scope, what it means, which panels emit it and under
/// which names, and an example payload built from the panels' own models.
///
/// Canonical names are Wirehook's; each dialect's own name for the same event is recorded so a
/// delivery can be renamed for the receiver, and an event with no counterpart can be skipped.
public struct EventCatalog: Sendable {
    public let entries: [EventCatalogEntry]
    private let byName: [String: Int]
    private let byRemnawave: [String: Int]
    private let byMarzban: [String: Int]
    private let byWGPortal: [String: Int]
    private let byVPNEnterprise: [String: Int]

    public init(entries: [EventCatalogEntry]) {
        self.entries = entries
        func index(_ key: (EventCatalogEntry) -> String?) -> [String: Int] {
            var map: [String: Int] = [:]
            for (i, entry) in entries.enumerated() {
                if let name = key(entry), map[name] == nil { map[name] = i }
            }
            return map
        }
        byName = index(\.name)
        byRemnawave = index { $0.names.remnawave }
        byMarzban = index { $0.names.marzban }
        byWGPortal = index { $0.names.wgPortal.map { "\($0.event)/\($0.entity)" } }
        byVPNEnterprise = index { $0.names.vpnEnterprise }
    }

    public static let standard = EventCatalog(entries: EventCatalog.builtInEntries)

    public func entry(_ canonicalName: String) -> EventCatalogEntry? {
        byName[canonicalName].map { entries[$0] }
    }

    /// The canonical entry for a name as any dialect spells it (canonical names first).
    public func resolve(_ name: String) -> EventCatalogEntry? {
        if let i = byName[name] { return entries[i] }
        if let i = byRemnawave[name] { return entries[i] }
        if let i = byVPNEnterprise[name] { return entries[i] }
        if let i = byMarzban[name] { return entries[i] }
        return nil
    }

    public func fromRemnawave(_ event: String) -> EventCatalogEntry? { byRemnawave[event].map { entries[$0] } }
    public func fromMarzban(_ action: String) -> EventCatalogEntry? { byMarzban[action].map { entries[$0] } }
    public func fromWGPortal(event: String, entity: String) -> EventCatalogEntry? {
        byWGPortal["\(event)/\(entity)"].map { entries[$0] }
    }

    /// Scopes that appear in the catalog, for `scope.*` filters.
    public var scopes: Set<String> { Set(entries.map(\.scope)) }

    /// Why a filter pattern names nothing in the catalog, or nil when it is `*`, a known
    /// `scope.*`, or a catalog name in any dialect's spelling.
    public func problem(withFilter pattern: String) -> String? {
        if pattern == "*" { return nil }
        if pattern.hasSuffix(".*") {
            let prefix = String(pattern.dropLast(1))
            if entries.contains(where: { $0.name.hasPrefix(prefix) }) { return nil }
            return "'\(pattern)' matches no event in the catalog (GET /event-types lists them)"
        }
        if resolve(pattern) != nil { return nil }
        return "unknown event type '\(pattern)' (GET /event-types lists them; set \"allow_custom_types\": true to use your own)"
    }
}

/// One event type in the catalog.
public struct EventCatalogEntry: Sendable {
    public var name: String
    public var scope: String
    public var summary: String
    public var names: DialectNames
    public var example: JSONValue

    public init(name: String, scope: String, summary: String, names: DialectNames = DialectNames(), example: JSONValue) {
        self.name = name
        self.scope = scope
        self.summary = summary
        self.names = names
        self.example = example
    }

    /// The panels that emit this event, in a fixed order.
    public var sourceDialects: [String] {
        var list: [String] = []
        if names.remnawave != nil { list.append("remnawave") }
        if names.marzban != nil { list.append("marzban") }
        if names.wgPortal != nil { list.append("wg-portal") }
        if names.vpnEnterprise != nil { list.append("vpn-enterprise") }
        if list.isEmpty { list.append("wirehook") }
        return list
    }
}

/// What each dialect calls an event; nil where the dialect has no counterpart.
public struct DialectNames: Sendable, Equatable {
    public struct WGPortalName: Sendable, Equatable {
        public var event: String
        public var entity: String
        public init(_ event: String, _ entity: String) {
            self.event = event
            self.entity = entity
        }
    }

    /// Remnawave's `event` (its `scope` is the part before the first dot).
    public var remnawave: String?
    /// Marzban's `action`.
    public var marzban: String?
    public var wgPortal: WGPortalName?
    /// VPN Enterprise's `type`.
    public var vpnEnterprise: String?

    public init(remnawave: String? = nil, marzban: String? = nil, wgPortal: WGPortalName? = nil, vpnEnterprise: String? = nil) {
        self.remnawave = remnawave
        self.marzban = marzban
        self.wgPortal = wgPortal
        self.vpnEnterprise = vpnEnterprise
    }

    public var remnawaveScope: String? {
        remnawave.map { String($0.prefix(while: { $0 != "." })) }
    }
}
