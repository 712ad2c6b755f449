import struct Foundation.Date

/// A user event in panel-neutral terms: the user plus what the event itself says (the acting
/// admin, how close expiry is, how much of the limit is used).
public struct PanelUserEvent: Sendable, Equatable {
    /// The canonical catalog name, e.g. `user.expiration`.
    public var type: String
    /// The panel it came from: `remnawave`, `marzban` or `wg-portal`.
    public var source: String
    public var occurredAt: Date
    public var user = PanelUser()
    /// Who did it (Marzban `by`, wg-portal `UpdatedBy`).
    public var actor: PanelAdmin?
    /// Marzban `reason` of `user_disabled`.
    public var reason: String?
    /// Remnawave `meta.expiration`: hours, negative before expiry, zero or positive after.
    public var expirationHours: Double?
    /// Remnawave `meta.notConnectedAfterHours`.
    public var notConnectedHours: Double?
    /// Marzban `used_percent`: used ÷ limit × 100 at the time.
    public var usagePercent: Double?
    /// Marzban `days_left`: whole days until expiry.
    public var daysLeft: Int64?

    public init(type: String, source: String, occurredAt: Date) {
        self.type = type
        self.source = source
        self.occurredAt = occurredAt
    }
}
