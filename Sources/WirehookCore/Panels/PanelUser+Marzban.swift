import struct Foundation.Date

/// Marzban's notification element and its `UserResponse` (`user`) to and from the canonical user.
///
/// Field lists and order: Gozargah/Marzban `app/models/user.py` (`UserResponse`), `admin.py`
/// (`Admin`) and `app/utils/notification.py` (one class per action).
extension PanelUser {
    static let marzbanStatuses: [String: Status] = [
        "active": .active, "disabled": .disabled, "limited": .limited, "expired": .expired, "on_hold": .onHold,
    ]
    static let marzbanStrategies: [String: ResetStrategy] = [
        "no_reset": .noReset, "day": .day, "week": .week, "month": .month, "year": .year,
    ]

    static func marzbanAdmin(_ value: JSONValue?, _ path: String) throws(WirehookError) -> PanelAdmin? {
        guard let admin = try PanelValue.object(value, path) else { return nil }
        var out = PanelAdmin(username: try PanelValue.string(admin["username"], path + ".username") ?? "")
        out.isSudo = try PanelValue.bool(admin["is_sudo"], path + ".is_sudo") ?? false
        out.telegramID = try PanelValue.integer(admin["telegram_id"], path + ".telegram_id")
        out.discordWebhook = try PanelValue.string(admin["discord_webhook"], path + ".discord_webhook")
        out.usersUsage = try PanelValue.integer(admin["users_usage"], path + ".users_usage")
        return out
    }

    /// How a Marzban element is read (Wirehook stores it without `action`, `enqueued_at`, `send_at`, `tries`).
    public static let marzbanReader: [ReadRule] = [
        ReadRule(.username, "`username` (or `user.username`)") { e, out throws(WirehookError) in
            let first = try PanelValue.string(e.data["username"], "username")
            let second = try PanelValue.string(e.data["user"]?["username"], "user.username")
            out.user.username = first ?? second ?? ""
        },
        ReadRule(.status, "`user.status` (lower case; `on_hold` kept); `user_deleted` (no `user`) → disabled") { e, out throws(WirehookError) in
            guard let text = try PanelValue.string(e.data["user"]?["status"], "user.status") else {
                // `user_deleted` carries no user; a deleted user cannot connect.
                if e.type == "user.deleted" { out.user.status = .disabled }
                return
            }
            guard let status = marzbanStatuses[text.lowercased()] else {
                throw WirehookError.invalid("'user.status' must be one of active, disabled, limited, expired, on_hold")
            }
            out.user.status = status
        },
        ReadRule(.trafficLimitBytes, "`user.data_limit` (bytes; null or 0 = unlimited)") { e, out throws(WirehookError) in
            let limit = try PanelValue.count(e.data["user"]?["data_limit"], "user.data_limit")
            out.user.trafficLimitBytes = limit == 0 ? nil : limit
        },
        ReadRule(.resetStrategy, "`user.data_limit_reset_strategy`") { e, out throws(WirehookError) in
            guard let text = try PanelValue.string(e.data["user"]?["data_limit_reset_strategy"], "user.data_limit_reset_strategy") else { return }
            guard let strategy = marzbanStrategies[text.lowercased()] else {
                throw WirehookError.invalid("'user.data_limit_reset_strategy' must be one of no_reset, day, week, month, year")
            }
            out.user.resetStrategy = strategy
        },
        ReadRule(.expiresAt, "`user.expire` (Unix seconds; null or 0 = never)") { e, out throws(WirehookError) in
            out.user.expiresAt = try PanelValue.unixSeconds(e.data["user"]?["expire"], "user.expire")
        },
        ReadRule(.usedTrafficBytes, "`user.used_traffic`") { e, out throws(WirehookError) in
            out.user.usedTrafficBytes = try PanelValue.count(e.data["user"]?["used_traffic"], "user.used_traffic")
        },
        ReadRule(.lifetimeUsedTrafficBytes, "`user.lifetime_used_traffic`") { e, out throws(WirehookError) in
            out.user.lifetimeUsedTrafficBytes = try PanelValue.count(e.data["user"]?["lifetime_used_traffic"], "user.lifetime_used_traffic")
        },
        ReadRule(.onlineAt, "`user.online_at` (naive UTC)") { e, out throws(WirehookError) in
            out.user.onlineAt = try PanelValue.time(e.data["user"]?["online_at"], "user.online_at")
        },
        ReadRule(.createdAt, "`user.created_at` (naive UTC)") { e, out throws(WirehookError) in
            out.user.createdAt = try PanelValue.time(e.data["user"]?["created_at"], "user.created_at")
        },
        ReadRule(.note, "`user.note`") { e, out throws(WirehookError) in
            out.user.note = try PanelValue.string(e.data["user"]?["note"], "user.note")
        },
        ReadRule(.subscriptionURL, "`user.subscription_url`") { e, out throws(WirehookError) in
            out.user.subscriptionURL = try PanelValue.string(e.data["user"]?["subscription_url"], "user.subscription_url")
        },
        ReadRule(.vlessID, "`user.proxies.vless.id` (else `proxies.vmess.id`)") { e, out throws(WirehookError) in
            let proxies = try PanelValue.object(e.data["user"]?["proxies"], "user.proxies")
            let first = try PanelValue.string(proxies?["vless"]?["id"], "user.proxies.vless.id")
            let second = try PanelValue.string(proxies?["vmess"]?["id"], "user.proxies.vmess.id")
            out.user.vlessID = first ?? second
        },
        ReadRule(.trojanPassword, "`user.proxies.trojan.password`") { e, out throws(WirehookError) in
            out.user.trojanPassword = try PanelValue.string(e.data["user"]?["proxies"]?["trojan"]?["password"], "user.proxies.trojan.password")
        },
        ReadRule(.shadowsocksPassword, "`user.proxies.shadowsocks.password`") { e, out throws(WirehookError) in
            out.user.shadowsocksPassword = try PanelValue.string(
                e.data["user"]?["proxies"]?["shadowsocks"]?["password"], "user.proxies.shadowsocks.password")
            out.user.shadowsocksMethod = try PanelValue.string(
                e.data["user"]?["proxies"]?["shadowsocks"]?["method"], "user.proxies.shadowsocks.method")
        },
        ReadRule(.owner, "`user.admin`") { e, out throws(WirehookError) in
            out.user.owner = try marzbanAdmin(e.data["user"]?["admin"], "user.admin")
        },
        ReadRule(.actor, "`by`") { e, out throws(WirehookError) in
            out.actor = try marzbanAdmin(e.data["by"], "by")
        },
        ReadRule(.reason, "`reason`") { e, out throws(WirehookError) in
            out.reason = try PanelValue.string(e.data["reason"], "reason")
        },
        ReadRule(.usagePercent, "`used_percent`") { e, out throws(WirehookError) in
            out.usagePercent = try PanelValue.double(e.data["used_percent"], "used_percent")
        },
        ReadRule(.daysLeft, "`days_left`") { e, out throws(WirehookError) in
            out.daysLeft = try PanelValue.integer(e.data["days_left"], "days_left")
        },
        ReadRule(.occurredAt, "the time Wirehook received it (Marzban's `enqueued_at` is the panel process's start time)") { _, _ in },
    ]

    /// The admin object for `by` and `user.admin` when the source names none. Its name is the
    /// endpoint's `options.marzban_admin`, filled in per request (see `MarzbanFormat`).
    static func synthesizedAdmin() -> PanelAdmin {
        PanelAdmin(username: MarzbanFormat.defaultAdminName, synthesized: true)
    }

    static func marzbanAdminJSON(_ admin: PanelAdmin) -> JSONValue {
        [
            "username": .string(admin.username), "is_sudo": .bool(admin.isSudo),
            "telegram_id": admin.telegramID.map { .int($0) } ?? .null,
            "discord_webhook": admin.discordWebhook.map { .string($0) } ?? .null,
            "users_usage": admin.usersUsage.map { .int($0) } ?? .null,
        ]
    }

    /// Marzban's `UserResponse`, in its key order.
    public static let marzbanUserWriter: [WriteRule] = [
        WriteRule("proxies", [.vlessID, .trojanPassword, .shadowsocksPassword], "`vless {id, flow: \"\"}`, `trojan {password, flow: \"\"}`, `shadowsocks {password, method}` for each credential the source has (method: source's, else `chacha20-ietf-poly1305`); none → `{}`") { e in
            var proxies: [JSONMember] = []
            if let id = e.user.vlessID, !id.isEmpty { proxies.append(JSONMember("vless", ["id": .string(id), "flow": ""])) }
            if let password = e.user.trojanPassword, !password.isEmpty {
                proxies.append(JSONMember("trojan", ["password": .string(password), "flow": ""]))
            }
            if let password = e.user.shadowsocksPassword, !password.isEmpty {
                proxies.append(JSONMember("shadowsocks", [
                    "password": .string(password), "method": .string(e.user.shadowsocksMethod ?? "chacha20-ietf-poly1305"),
                ]))
            }
            return .object(proxies)
        },
        WriteRule("expire", [.expiresAt], "Unix seconds (whole); never → `null`") { e in
            e.user.expiresAt.map { .int(PanelTime.unixSeconds($0)) } ?? .null
        },
        WriteRule("data_limit", [.trafficLimitBytes], "bytes; unlimited → `null`") { e in e.user.trafficLimitBytes.map { .int($0) } ?? .null },
        WriteRule("data_limit_reset_strategy", [.resetStrategy], "lower case; `MONTH_ROLLING` → `month` (closest)") { e in
            .string(marzbanStrategy(e.user.resetStrategy))
        },
        WriteRule("inbounds", [], "`{}` (Remnawave squads are not Marzban inbound tags)") { _ in .object([]) },
        WriteRule("note", [.note], "text or `null`") { e in e.user.note.map { .string($0) } ?? .null },
        WriteRule("sub_updated_at", [], "`null` (Remnawave 3.x dropped `subLastOpenedAt`)") { _ in .null },
        WriteRule("sub_last_user_agent", [], "`null`") { _ in .null },
        WriteRule("online_at", [.onlineAt], "naive UTC ISO or `null`") { e in e.user.onlineAt.map { .string(PanelTime.marzban($0)) } ?? .null },
        WriteRule("on_hold_expire_duration", [], "`null`") { _ in .null },
        WriteRule("on_hold_timeout", [], "`null`") { _ in .null },
        WriteRule("auto_delete_in_days", [], "`null`") { _ in .null },
        WriteRule("next_plan", [], "`null`") { _ in .null },
        WriteRule("username", [.username], "verbatim") { e in .string(e.user.username) },
        WriteRule("status", [.status], "lower case (`active`, `disabled`, `limited`, `expired`, `on_hold`)") { e in .string(e.user.status.rawValue) },
        WriteRule("used_traffic", [.usedTrafficBytes], "bytes; unknown → 0") { e in .int(e.user.usedTrafficBytes ?? 0) },
        WriteRule("lifetime_used_traffic", [.lifetimeUsedTrafficBytes], "bytes; unknown → `used_traffic`") { e in
            .int(e.user.lifetimeUsedTrafficBytes ?? e.user.usedTrafficBytes ?? 0)
        },
        WriteRule("created_at", [.createdAt, .occurredAt], "naive UTC ISO; unknown → event time") { e in
            .string(PanelTime.marzban(e.user.createdAt ?? e.occurredAt))
        },
        WriteRule("links", [], "`[]` (Marzban builds links from its own Xray config)") { _ in .array([]) },
        WriteRule("subscription_url", [.subscriptionURL], "verbatim; none → `\"\"` (never null: bots test it as a string)") { e in
            .string(e.user.subscriptionURL ?? "")
        },
        WriteRule("excluded_inbounds", [], "`{}`") { _ in .object([]) },
        WriteRule("admin", [.owner], "the owner admin; none → the configured admin (`options.marzban_admin`), never null: bots read `user.admin.username`") { e in
            marzbanAdminJSON(e.user.owner ?? synthesizedAdmin())
        },
    ]

    static func marzbanStrategy(_ strategy: ResetStrategy) -> String {
        switch strategy {
        case .monthRolling: "month"
        default: strategy.rawValue
        }
    }

    /// The element's own keys after `enqueued_at, send_at, tries, username, action`, per action
    /// (`notification.py`: `user_deleted` has no `user`; the review job's actions have no `by`).
    static let marzbanActionKeys: [String: [String]] = [
        "user_created": ["by", "user"], "user_updated": ["by", "user"], "user_deleted": ["by"],
        "user_limited": ["user"], "user_expired": ["user"], "user_enabled": ["by", "user"],
        "user_disabled": ["by", "user", "reason"], "data_usage_reset": ["by", "user"], "data_reset_by_next": ["user"],
        "subscription_revoked": ["by", "user"], "reached_usage_percent": ["user", "used_percent"],
        "reached_days_left": ["user", "days_left"],
    ]

    /// The element keys after `enqueued_at, send_at, tries, username, action` (see `MarzbanFormat`),
    /// each written only for the actions whose class has it (`marzbanActionKeys`).
    public static let marzbanElementWriter: [WriteRule] = [
        WriteRule("by", [.actor], "the acting admin (wg-portal `UpdatedBy`/`CreatedBy`); none → `{\"username\": options.marzban_admin or \"\(MarzbanFormat.defaultAdminName)\", \"is_sudo\": false, \"telegram_id\": null, \"discord_webhook\": null, \"users_usage\": null}`") { e in
            marzbanAdminJSON(e.actor ?? synthesizedAdmin())
        },
        WriteRule("user", [], "`UserResponse`, next table") { e in
            WriteRule.object(marzbanUserWriter, e)
        },
        WriteRule("reason", [.reason], "source reason, else `null`") { e in e.reason.map { .string($0) } ?? .null },
        WriteRule("used_percent", [.usagePercent, .usedTrafficBytes, .trafficLimitBytes, .lastTriggeredThreshold], "Marzban's own formula `used × 100 ÷ limit` (a float) when both are known, else `lastTriggeredThreshold`, else 0.0") { e in
            if let percent = e.usagePercent { return .number(PythonNumber.formatFloat(percent)) }
            if let used = e.user.usedTrafficBytes, let limit = e.user.trafficLimitBytes, limit > 0 {
                return .number(PythonNumber.formatFloat(Double(used) * 100 / Double(limit)))
            }
            return .number(PythonNumber.formatFloat(Double(e.user.lastTriggeredThreshold ?? 0)))
        },
        WriteRule("days_left", [.daysLeft, .expirationHours], "`floor(-meta.expiration ÷ 24)` (−72 → 3, −24 → 1, −12 → 0), as Marzban's `timedelta.days` floors; from legacy `user.expires_in_N_hours` N ÷ 24") { e in
            if let days = e.daysLeft { return .int(days) }
            guard let hours = e.expirationHours else { return .int(0) }
            return .int(Int64(saturating: (-hours / 24).rounded(.down)))
        },
    ]
}
