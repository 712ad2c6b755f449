import struct Foundation.Date

/// Remnawave's user object (`data` of `user.*` events) to and from the canonical user.
///
/// Field list and order: remnawave/backend 3.x `GetFullUserResponseModel` (`id` first, no `uuid`),
/// plus `uuid` in its 2.x place because the Python SDK's `UserDto` still requires it.
extension PanelUser {
    static let remnawaveStatuses: [String: Status] = [
        "ACTIVE": .active, "DISABLED": .disabled, "LIMITED": .limited, "EXPIRED": .expired,
    ]
    static let remnawaveStrategies: [String: ResetStrategy] = [
        "NO_RESET": .noReset, "DAY": .day, "WEEK": .week, "MONTH": .month, "MONTH_ROLLING": .monthRolling,
    ]

    /// How Remnawave's user event is read. Keys are looked up in `data`; `meta` is the envelope's.
    public static let remnawaveReader: [ReadRule] = [
        ReadRule(.username, "`username`") { e, out throws(WirehookError) in
            out.user.username = try PanelValue.string(e.data["username"], "data.username") ?? ""
        },
        ReadRule(.status, "`status` (`ACTIVE`, `DISABLED`, `LIMITED`, `EXPIRED`)") { e, out throws(WirehookError) in
            guard let text = try PanelValue.string(e.data["status"], "data.status") else { return }
            guard let status = remnawaveStatuses[text.uppercased()] else {
                throw WirehookError.invalid("'data.status' must be one of ACTIVE, DISABLED, LIMITED, EXPIRED")
            }
            out.user.status = status
        },
        ReadRule(.panelID, "`id`") { e, out throws(WirehookError) in
            out.user.panelID = try PanelValue.integer(e.data["id"], "data.id")
        },
        ReadRule(.uuid, "`uuid` (2.x panels)") { e, out throws(WirehookError) in
            out.user.uuid = try PanelValue.string(e.data["uuid"], "data.uuid")
        },
        ReadRule(.shortUUID, "`shortUuid`") { e, out throws(WirehookError) in
            out.user.shortUUID = try PanelValue.string(e.data["shortUuid"], "data.shortUuid")
        },
        ReadRule(.trafficLimitBytes, "`trafficLimitBytes` (bytes; 0 = unlimited)") { e, out throws(WirehookError) in
            let limit = try PanelValue.count(e.data["trafficLimitBytes"], "data.trafficLimitBytes")
            out.user.trafficLimitBytes = limit == 0 ? nil : limit
        },
        ReadRule(.resetStrategy, "`trafficLimitStrategy`") { e, out throws(WirehookError) in
            guard let text = try PanelValue.string(e.data["trafficLimitStrategy"], "data.trafficLimitStrategy") else { return }
            guard let strategy = remnawaveStrategies[text.uppercased()] else {
                throw WirehookError.invalid("'data.trafficLimitStrategy' must be one of NO_RESET, DAY, WEEK, MONTH, MONTH_ROLLING")
            }
            out.user.resetStrategy = strategy
        },
        ReadRule(.expiresAt, "`expireAt` (ISO; year 2099 = never)") { e, out throws(WirehookError) in
            let date = try PanelValue.time(e.data["expireAt"], "data.expireAt")
            out.user.expiresAt = date.flatMap { PanelTime.isRemnawaveNever($0) ? nil : $0 }
        },
        ReadRule(.usedTrafficBytes, "`userTraffic.usedTrafficBytes` (flat `usedTrafficBytes` before 2.2)") {
            e, out throws(WirehookError) in
            let first = try PanelValue.count(e.data["userTraffic"]?["usedTrafficBytes"], "data.userTraffic.usedTrafficBytes")
            let second = try PanelValue.count(e.data["usedTrafficBytes"], "data.usedTrafficBytes")
            out.user.usedTrafficBytes = first ?? second
        },
        ReadRule(.lifetimeUsedTrafficBytes, "`userTraffic.lifetimeUsedTrafficBytes` (or flat)") { e, out throws(WirehookError) in
            let first = try PanelValue.count(
                    e.data["userTraffic"]?["lifetimeUsedTrafficBytes"], "data.userTraffic.lifetimeUsedTrafficBytes")
            let second = try PanelValue.count(e.data["lifetimeUsedTrafficBytes"], "data.lifetimeUsedTrafficBytes")
            out.user.lifetimeUsedTrafficBytes = first ?? second
        },
        ReadRule(.onlineAt, "`userTraffic.onlineAt` (or flat `onlineAt`)") { e, out throws(WirehookError) in
            let first = try PanelValue.time(e.data["userTraffic"]?["onlineAt"], "data.userTraffic.onlineAt")
            let second = try PanelValue.time(e.data["onlineAt"], "data.onlineAt")
            out.user.onlineAt = first ?? second
        },
        ReadRule(.createdAt, "`createdAt`") { e, out throws(WirehookError) in
            out.user.createdAt = try PanelValue.time(e.data["createdAt"], "data.createdAt")
        },
        ReadRule(.updatedAt, "`updatedAt`") { e, out throws(WirehookError) in
            out.user.updatedAt = try PanelValue.time(e.data["updatedAt"], "data.updatedAt")
        },
        ReadRule(.note, "`description`") { e, out throws(WirehookError) in
            out.user.note = try PanelValue.string(e.data["description"], "data.description")
        },
        ReadRule(.telegramID, "`telegramId`") { e, out throws(WirehookError) in
            out.user.telegramID = try PanelValue.integer(e.data["telegramId"], "data.telegramId")
        },
        ReadRule(.email, "`email`") { e, out throws(WirehookError) in
            out.user.email = try PanelValue.string(e.data["email"], "data.email")
        },
        ReadRule(.subscriptionURL, "`subscriptionUrl`") { e, out throws(WirehookError) in
            out.user.subscriptionURL = try PanelValue.string(e.data["subscriptionUrl"], "data.subscriptionUrl")
        },
        ReadRule(.lastTriggeredThreshold, "`lastTriggeredThreshold` (percent)") { e, out throws(WirehookError) in
            out.user.lastTriggeredThreshold = try PanelValue.integer(e.data["lastTriggeredThreshold"], "data.lastTriggeredThreshold")
        },
        ReadRule(.subRevokedAt, "`subRevokedAt`") { e, out throws(WirehookError) in
            out.user.subRevokedAt = try PanelValue.time(e.data["subRevokedAt"], "data.subRevokedAt")
        },
        ReadRule(.lastTrafficResetAt, "`lastTrafficResetAt`") { e, out throws(WirehookError) in
            out.user.lastTrafficResetAt = try PanelValue.time(e.data["lastTrafficResetAt"], "data.lastTrafficResetAt")
        },
        ReadRule(.vlessID, "`vlessUuid`") { e, out throws(WirehookError) in
            out.user.vlessID = try PanelValue.string(e.data["vlessUuid"], "data.vlessUuid")
        },
        ReadRule(.trojanPassword, "`trojanPassword`") { e, out throws(WirehookError) in
            out.user.trojanPassword = try PanelValue.string(e.data["trojanPassword"], "data.trojanPassword")
        },
        ReadRule(.shadowsocksPassword, "`ssPassword`") { e, out throws(WirehookError) in
            out.user.shadowsocksPassword = try PanelValue.string(e.data["ssPassword"], "data.ssPassword")
        },
        ReadRule(.occurredAt, "envelope `timestamp`") { _, _ in },
        ReadRule(.expirationHours, "`meta.expiration` (hours; negative = before expiry)") { e, out throws(WirehookError) in
            out.expirationHours = try PanelValue.double(e.attributes["meta"]?["expiration"], "meta.expiration")
            // Remnawave before 3.0 named the reminders instead of sending hours.
            switch e.type {
            case "user.expires_in_72_hours": out.expirationHours = -72
            case "user.expires_in_48_hours": out.expirationHours = -48
            case "user.expires_in_24_hours": out.expirationHours = -24
            case "user.expired_24_hours_ago": out.expirationHours = 24
            default: break
            }
        },
        ReadRule(.notConnectedHours, "`meta.notConnectedAfterHours`") { e, out throws(WirehookError) in
            out.notConnectedHours = try PanelValue.double(e.attributes["meta"]?["notConnectedAfterHours"], "meta.notConnectedAfterHours")
        },
    ]

    /// Remnawave's user object as a 3.x panel sends it, plus `uuid`, in the panel's key order.
    public static let remnawaveWriter: [WriteRule] = [
        WriteRule("uuid", [.uuid, .username], "source `uuid`, else UUIDv5(`<source>:<username>`) in `DerivedID.namespace`") { e in
            .string(e.user.uuid ?? DerivedID.uuid("\(e.source):\(e.user.username)"))
        },
        WriteRule("id", [.panelID, .username], "source `id`, else `DerivedID.integer(\"<source>:<username>\")` (48-bit)") { e in
            .int(e.user.panelID ?? DerivedID.integer("\(e.source):\(e.user.username)"))
        },
        WriteRule("shortUuid", [.shortUUID, .username], "source `shortUuid`, else 16 nanoid characters derived from `<source>:<username>`") { e in
            .string(e.user.shortUUID ?? DerivedID.shortUUID("\(e.source):\(e.user.username)"))
        },
        WriteRule("username", [.username], "verbatim") { e in .string(e.user.username) },
        WriteRule("status", [.status], "upper case; `on_hold` → `ACTIVE` (as remnawave/migrate does)") { e in
            .string(remnawaveStatus(e.user.status))
        },
        WriteRule("trafficLimitBytes", [.trafficLimitBytes], "bytes; unlimited → `0`") { e in .int(e.user.trafficLimitBytes ?? 0) },
        WriteRule("trafficLimitStrategy", [.resetStrategy], "upper case; `year` → `NO_RESET` (as remnawave/migrate does)") { e in
            .string(remnawaveStrategy(e.user.resetStrategy))
        },
        WriteRule("expireAt", [.expiresAt], "ISO with ms; never → `\(PanelTime.remnawaveNever)`") { e in
            .string(e.user.expiresAt.map(PanelTime.remnawave) ?? PanelTime.remnawaveNever)
        },
        WriteRule("telegramId", [.telegramID], "number or `null`") { e in e.user.telegramID.map { .int($0) } ?? .null },
        WriteRule("email", [.email], "a valid address or `null` (the panel's zod refuses `\"\"`)") { e in
            e.user.email.flatMap { $0.contains("@") ? JSONValue.string($0) : nil } ?? .null
        },
        WriteRule("description", [.note], "text or `null`") { e in e.user.note.map { .string($0) } ?? .null },
        WriteRule("tag", [], "`null` (no other panel has tags)") { _ in .null },
        WriteRule("hwidDeviceLimit", [], "`null` (panel default)") { _ in .null },
        WriteRule("externalSquadUuid", [], "`null`") { _ in .null },
        WriteRule("trojanPassword", [.trojanPassword], "source credential, else `\"\"` (never invented)") { e in
            .string(e.user.trojanPassword ?? "")
        },
        WriteRule("vlessUuid", [.vlessID, .username], "source VLESS (or VMess) id, else UUIDv5(`<source>:<username>:vless`): the SDK requires a UUID") { e in
            .string(e.user.vlessID.flatMap { DerivedID.isUUID($0) ? $0 : nil } ?? DerivedID.uuid("\(e.source):\(e.user.username):vless"))
        },
        WriteRule("ssPassword", [.shadowsocksPassword], "source credential, else `\"\"`") { e in
            .string(e.user.shadowsocksPassword ?? "")
        },
        WriteRule("lastTriggeredThreshold", [.lastTriggeredThreshold, .usagePercent], "Marzban `used_percent` rounded down on `reached_usage_percent`, else `0` (the panel's \"none yet\")") { e in
            .int(e.user.lastTriggeredThreshold ?? e.usagePercent.map { Int64(saturating: $0.rounded(.down)) } ?? 0)
        },
        WriteRule("subRevokedAt", [.subRevokedAt, .type, .occurredAt], "source time; on `user.revoked` the event time; else `null`") { e in
            (e.user.subRevokedAt ?? (e.type == "user.revoked" ? e.occurredAt : nil)).map { .string(PanelTime.remnawave($0)) } ?? .null
        },
        WriteRule("lastTrafficResetAt", [.lastTrafficResetAt, .type, .occurredAt], "source time; on a traffic reset the event time; else `null`") { e in
            (e.user.lastTrafficResetAt ?? (e.type == "user.traffic_reset" || e.type == "user.data_reset_by_next" ? e.occurredAt : nil))
                .map { .string(PanelTime.remnawave($0)) } ?? .null
        },
        WriteRule("createdAt", [.createdAt, .occurredAt], "ISO with ms; unknown → event time") { e in
            .string(PanelTime.remnawave(e.user.createdAt ?? e.occurredAt))
        },
        WriteRule("updatedAt", [.updatedAt, .occurredAt], "ISO with ms; unknown → event time") { e in
            .string(PanelTime.remnawave(e.user.updatedAt ?? e.occurredAt))
        },
        WriteRule("subscriptionUrl", [.subscriptionURL], "an absolute URL, else `\"\"` (Marzban's relative `/sub/…` has no host to point at)") { e in
            .string(e.user.subscriptionURL.flatMap { $0.hasPrefix("http://") || $0.hasPrefix("https://") ? $0 : nil } ?? "")
        },
        WriteRule("activeInternalSquads", [], "`[]` (Marzban inbounds are not squads)") { _ in .array([]) },
        WriteRule("userTraffic", [.usedTrafficBytes, .lifetimeUsedTrafficBytes, .onlineAt], "`{usedTrafficBytes, lifetimeUsedTrafficBytes, onlineAt, lastConnectedNodeUuid: null, firstConnectedAt: null}`; unknown counters → 0") { e in
            [
                "usedTrafficBytes": .int(e.user.usedTrafficBytes ?? 0),
                "lifetimeUsedTrafficBytes": .int(e.user.lifetimeUsedTrafficBytes ?? e.user.usedTrafficBytes ?? 0),
                "onlineAt": e.user.onlineAt.map { .string(PanelTime.remnawave($0)) } ?? .null,
                "lastConnectedNodeUuid": .null,
                "firstConnectedAt": .null,
            ]
        },
    ]

    static func remnawaveStatus(_ status: Status) -> String {
        switch status {
        case .active, .onHold: "ACTIVE"
        case .disabled: "DISABLED"
        case .limited: "LIMITED"
        case .expired: "EXPIRED"
        }
    }

    static func remnawaveStrategy(_ strategy: ResetStrategy) -> String {
        switch strategy {
        case .noReset, .year: "NO_RESET"
        case .day: "DAY"
        case .week: "WEEK"
        case .month: "MONTH"
        case .monthRolling: "MONTH_ROLLING"
        }
    }

    /// Remnawave's `meta`: only `user.expiration` and `user.not_connected` have one; the panel
    /// leaves the key out on every other event (the sender drops an undefined `meta`).
    static let remnawaveMeta = WriteRule(
        "meta", [.expirationHours, .daysLeft, .notConnectedHours],
        "`user.expiration`: `{\"expiration\": hours}`; from Marzban `days_left` d: `-24 × max(d, 1)` (d = 0 means under 24 h left, which Remnawave calls -24; 0 would read \"expired 0 hours ago\"); `user.not_connected`: `{\"notConnectedAfterHours\": h}`; every other event: key left out"
    ) { e in
        switch e.type {
        case "user.expiration":
            if let hours = e.expirationHours { return ["expiration": .double(hours)] }
            if let days = e.daysLeft { return ["expiration": PanelTranslator.expirationHours(daysLeft: Double(days))] }
            return nil
        case "user.not_connected":
            return e.notConnectedHours.map { ["notConnectedAfterHours": .double($0)] }
        default:
            return nil
        }
    }
}
