import struct Foundation.Date

/// A VPN user as every panel describes one, in panel-neutral units: the hub every translation
/// between Remnawave, Marzban and wg-portal goes through.
///
/// Absent means "the source did not say"; each target decides its own empty or derived value, and
/// `docs/dialects.md` lists that choice per field.
public struct PanelUser: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case active, disabled, limited, expired
        /// Marzban's "waiting for first connection"; no other panel has it.
        case onHold = "on_hold"
    }

    public enum ResetStrategy: String, Sendable, CaseIterable {
        case noReset = "no_reset", day, week, month
        /// Remnawave's "every 30 days from the user's own start"; Marzban and wg-portal have no such thing.
        case monthRolling = "month_rolling"
        /// Marzban's yearly reset; Remnawave has none.
        case year
    }

    public var username: String = ""
    public var status: Status = .active
    /// Remnawave's numeric user id.
    public var panelID: Int64?
    /// Remnawave's user UUID (sent up to 2.x; its SDK still requires it).
    public var uuid: String?
    /// Remnawave's subscription path segment.
    public var shortUUID: String?
    /// Bytes; nil is unlimited (Remnawave writes 0, Marzban null).
    public var trafficLimitBytes: Int64?
    public var resetStrategy: ResetStrategy = .noReset
    /// nil is "never" (Remnawave writes year 2099, Marzban null).
    public var expiresAt: Date?
    public var usedTrafficBytes: Int64?
    public var lifetimeUsedTrafficBytes: Int64?
    public var onlineAt: Date?
    public var createdAt: Date?
    public var updatedAt: Date?
    /// Free text: Remnawave `description`, Marzban `note`, wg-portal `Notes`.
    public var note: String?
    public var telegramID: Int64?
    public var email: String?
    public var subscriptionURL: String?
    /// Remnawave's last usage threshold crossed, in percent.
    public var lastTriggeredThreshold: Int64?
    public var subRevokedAt: Date?
    public var lastTrafficResetAt: Date?
    /// Proxy credentials, kept so a user keeps the same ones across panels (never logged).
    public var vlessID: String?
    public var trojanPassword: String?
    public var shadowsocksPassword: String?
    public var shadowsocksMethod: String?
    /// The admin who owns the user (Marzban `user.admin`).
    public var owner: PanelAdmin?

    public init() {}
}

/// A panel administrator: Marzban's `Admin` model (`by`, `user.admin`), wg-portal's `CreatedBy`/`UpdatedBy`.
public struct PanelAdmin: Sendable, Equatable {
    public var username: String
    public var isSudo: Bool = false
    public var telegramID: Int64?
    public var discordWebhook: String?
    public var usersUsage: Int64?
    /// True when no source supplied an admin and Wirehook made this one up (its name is configurable).
    public var synthesized: Bool = false

    public init(username: String, isSudo: Bool = false, synthesized: Bool = false) {
        self.username = username
        self.isSudo = isSudo
        self.synthesized = synthesized
    }
}
