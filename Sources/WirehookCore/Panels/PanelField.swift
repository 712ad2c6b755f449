/// The canonical fields, by name: mapping rules say which ones they read or write, so the
/// per-direction tables in `docs/dialects.md` are built from the same rules the code runs.
public enum PanelField: String, Sendable, CaseIterable {
    case username, status, panelID, uuid, shortUUID, trafficLimitBytes, resetStrategy, expiresAt
    case usedTrafficBytes, lifetimeUsedTrafficBytes, onlineAt, createdAt, updatedAt, note, telegramID, email
    case subscriptionURL, lastTriggeredThreshold, subRevokedAt, lastTrafficResetAt
    case vlessID, trojanPassword, shadowsocksPassword, owner
    // Event facts.
    case type, occurredAt, actor, reason, expirationHours, notConnectedHours, usagePercent, daysLeft
}

/// How one canonical field is read from a panel's event: which source keys, in words, and the code.
/// `Model` is the canonical thing being filled (a user event, a node event).
public struct FieldReadRule<Field: Sendable & Equatable, Model>: Sendable {
    public let field: Field
    /// The source keys and conversion, for the docs.
    public let from: String
    let apply: @Sendable (Event, inout Model) throws(WirehookError) -> Void

    init(
        _ field: Field, _ from: String,
        _ apply: @escaping @Sendable (Event, inout Model) throws(WirehookError) -> Void
    ) {
        self.field = field
        self.from = from
        self.apply = apply
    }
}

/// A rule that reads one field of a user event.
public typealias ReadRule = FieldReadRule<PanelField, PanelUserEvent>

/// One key a target panel's object gets: the canonical fields it comes from, how, and the code.
/// A rule's value of nil leaves the key out (as the panel leaves out an absent field).
public struct FieldWriteRule<Field: Sendable & Equatable, Model>: Sendable {
    public let key: String
    public let reads: [Field]
    /// The conversion and the value used when the source has nothing, for the docs.
    public let how: String
    let value: @Sendable (Model) -> JSONValue?

    init(_ key: String, _ reads: [Field], _ how: String, _ value: @escaping @Sendable (Model) -> JSONValue?) {
        self.key = key
        self.reads = reads
        self.how = how
        self.value = value
    }

    /// The object these rules write, in rule order.
    static func object(_ rules: [Self], _ model: Model) -> JSONValue {
        .object(rules.compactMap { rule in rule.value(model).map { JSONMember(rule.key, $0) } })
    }
}

/// A rule that writes one key of a panel's user object.
public typealias WriteRule = FieldWriteRule<PanelField, PanelUserEvent>

extension Array where Element == ReadRule {
    /// Applies every rule in order to an empty canonical event.
    func read(_ event: Event, source: String) throws(WirehookError) -> PanelUserEvent {
        var out = PanelUserEvent(type: event.type, source: source, occurredAt: event.occurredAt)
        for rule in self { try rule.apply(event, &out) }
        return out
    }
}
