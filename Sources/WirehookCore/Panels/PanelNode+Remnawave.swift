import struct Foundation.Date

/// Remnawave's node object (`data` of `node.*` events) to and from the canonical node.
///
/// Field list and order: remnawave/backend 3.x `NodeResponseModel` (with the hot-cache fields);
/// the Python SDK's `NodeDto` requires `uuid, name, address, isConnected, isConnecting,
/// isDisabled, consumptionMultiplier, isTrafficTrackingActive, viewPosition, countryCode,
/// createdAt, updatedAt, configProfile`, so a translated or completed node always has them.
extension PanelNode {
    /// The Remnawave-only keys kept verbatim in `remnawaveDetails`, with the value written when
    /// the source has none (the panel's own empty value).
    static let remnawaveDetailDefaults: [(key: String, empty: JSONValue)] = [
        ("proxyUrl", .null),
        ("nodeConsumptionMultiplier", .null),  // placeholder: written from the coefficient, see below
        ("integrationUuids", []),
        ("ips", []),
        ("configProfile", ["activeConfigProfileUuid": .null, "activeInbounds": []]),
        ("providerUuid", .null),
        ("provider", .null),
        ("activePluginUuid", .null),
        ("system", .null),
    ]

    public static let remnawaveReader: [NodeReadRule] = [
        NodeReadRule(.uuid, "`uuid`") { e, out throws(WirehookError) in
            out.node.uuid = try PanelValue.string(e.data["uuid"], "data.uuid")
        },
        NodeReadRule(.panelID, "`id` (3.x)") { e, out throws(WirehookError) in
            out.node.panelID = try PanelValue.integer(e.data["id"], "data.id")
        },
        NodeReadRule(.name, "`name`") { e, out throws(WirehookError) in
            out.node.name = try PanelValue.string(e.data["name"], "data.name") ?? ""
        },
        NodeReadRule(.address, "`address`") { e, out throws(WirehookError) in
            out.node.address = try PanelValue.string(e.data["address"], "data.address") ?? ""
        },
        NodeReadRule(.port, "`port`") { e, out throws(WirehookError) in
            out.node.port = try PanelValue.integer(e.data["port"], "data.port")
        },
        NodeReadRule(.status, "`isDisabled` → disabled, else `isConnected` → connected, else `isConnecting` → connecting, else error; none of the three: unknown") {
            e, out throws(WirehookError) in
            let disabled = try PanelValue.bool(e.data["isDisabled"], "data.isDisabled")
            let connected = try PanelValue.bool(e.data["isConnected"], "data.isConnected")
            let connecting = try PanelValue.bool(e.data["isConnecting"], "data.isConnecting")
            guard disabled != nil || connected != nil || connecting != nil else { return }
            out.node.status =
                disabled == true ? .disabled : connected == true ? .connected : connecting == true ? .connecting : .error
        },
        NodeReadRule(.statusChangedAt, "`lastStatusChange`") { e, out throws(WirehookError) in
            out.node.statusChangedAt = try PanelValue.time(e.data["lastStatusChange"], "data.lastStatusChange")
        },
        NodeReadRule(.statusMessage, "`lastStatusMessage`") { e, out throws(WirehookError) in
            out.node.statusMessage = try PanelValue.string(e.data["lastStatusMessage"], "data.lastStatusMessage")
        },
        NodeReadRule(.trafficResetDay, "`trafficResetDay`") { e, out throws(WirehookError) in
            out.node.trafficResetDay = try PanelValue.integer(e.data["trafficResetDay"], "data.trafficResetDay")
        },
        NodeReadRule(.usageCoefficient, "`consumptionMultiplier`") { e, out throws(WirehookError) in
            out.node.usageCoefficient = try PanelValue.double(e.data["consumptionMultiplier"], "data.consumptionMultiplier")
        },
        NodeReadRule(.trafficTrackingActive, "`isTrafficTrackingActive`") { e, out throws(WirehookError) in
            out.node.trafficTrackingActive = try PanelValue.bool(e.data["isTrafficTrackingActive"], "data.isTrafficTrackingActive")
        },
        NodeReadRule(.trafficLimitBytes, "`trafficLimitBytes` (bytes)") { e, out throws(WirehookError) in
            out.node.trafficLimitBytes = try PanelValue.count(e.data["trafficLimitBytes"], "data.trafficLimitBytes")
        },
        NodeReadRule(.trafficUsedBytes, "`trafficUsedBytes` (bytes)") { e, out throws(WirehookError) in
            out.node.trafficUsedBytes = try PanelValue.count(e.data["trafficUsedBytes"], "data.trafficUsedBytes")
        },
        NodeReadRule(.notifyPercent, "`notifyPercent`") { e, out throws(WirehookError) in
            out.node.notifyPercent = try PanelValue.integer(e.data["notifyPercent"], "data.notifyPercent")
        },
        NodeReadRule(.note, "`note`") { e, out throws(WirehookError) in
            out.node.note = try PanelValue.string(e.data["note"], "data.note")
        },
        NodeReadRule(.viewPosition, "`viewPosition`") { e, out throws(WirehookError) in
            out.node.viewPosition = try PanelValue.integer(e.data["viewPosition"], "data.viewPosition")
        },
        NodeReadRule(.countryCode, "`countryCode`") { e, out throws(WirehookError) in
            out.node.countryCode = try PanelValue.string(e.data["countryCode"], "data.countryCode")
        },
        NodeReadRule(.tags, "`tags`") { e, out throws(WirehookError) in
            guard let value = e.data["tags"], !value.isNull else { return }
            guard let items = value.arrayValue else { throw WirehookError.invalid("'data.tags' must be an array of strings") }
            var tags: [String] = []
            for item in items {
                guard let tag = item.stringValue else { throw WirehookError.invalid("'data.tags' must be an array of strings") }
                tags.append(tag)
            }
            out.node.tags = tags
        },
        NodeReadRule(.createdAt, "`createdAt`") { e, out throws(WirehookError) in
            out.node.createdAt = try PanelValue.time(e.data["createdAt"], "data.createdAt")
        },
        NodeReadRule(.updatedAt, "`updatedAt`") { e, out throws(WirehookError) in
            out.node.updatedAt = try PanelValue.time(e.data["updatedAt"], "data.updatedAt")
        },
        NodeReadRule(.xrayVersion, "`versions.xray` (2.x: `xrayVersion`)") { e, out throws(WirehookError) in
            let first = try PanelValue.string(e.data["versions"]?["xray"], "data.versions.xray")
            let second = try PanelValue.string(e.data["xrayVersion"], "data.xrayVersion")
            out.node.xrayVersion = first ?? second
        },
        NodeReadRule(.nodeVersion, "`versions.node`") { e, out throws(WirehookError) in
            out.node.nodeVersion = try PanelValue.string(e.data["versions"]?["node"], "data.versions.node")
        },
        NodeReadRule(.xrayUptimeSeconds, "`xrayUptime` (seconds; 2.x sent a numeric string)") { e, out throws(WirehookError) in
            if let text = e.data["xrayUptime"]?.stringValue {
                guard let seconds = Double(text), seconds.isFinite else {
                    throw WirehookError.invalid("'data.xrayUptime' must be a number of seconds")
                }
                out.node.xrayUptimeSeconds = seconds
            } else {
                out.node.xrayUptimeSeconds = try PanelValue.double(e.data["xrayUptime"], "data.xrayUptime")
            }
        },
        NodeReadRule(.usersOnline, "`usersOnline`") { e, out throws(WirehookError) in
            out.node.usersOnline = try PanelValue.count(e.data["usersOnline"], "data.usersOnline")
        },
        NodeReadRule(.remnawaveDetails, "`proxyUrl`, `nodeConsumptionMultiplier`, `integrationUuids`, `ips`, `configProfile`, `providerUuid`, `provider`, `activePluginUuid`, `system`, verbatim") {
            e, out throws(WirehookError) in
            for (key, _) in remnawaveDetailDefaults {
                if let value = e.data[key] { out.node.remnawaveDetails[key] = value }
            }
        },
        NodeReadRule(.occurredAt, "envelope `timestamp`") { _, _ in },
    ]

    /// Remnawave's node object as a 3.x panel sends it, in the panel's key order.
    public static let remnawaveWriter: [NodeWriteRule] = [
        NodeWriteRule("uuid", [.uuid, .name], "source `uuid`, else UUIDv5(`<source>:node:<name>`) in `DerivedID.namespace`") { e in
            .string(e.node.uuid.flatMap { DerivedID.isUUID($0) ? $0 : nil } ?? DerivedID.uuid(nodeKey(e)))
        },
        NodeWriteRule("id", [.panelID, .name], "the `id` of a Remnawave node or of a caller's own data, else `DerivedID.integer(\"<source>:node:<name>\")` (another panel's id numbers that panel's nodes)") { e in
            .int((e.source == "remnawave" || !PanelTranslator.panels.contains(e.source) ? e.node.panelID : nil) ?? DerivedID.integer(nodeKey(e)))
        },
        NodeWriteRule("name", [.name], "verbatim") { e in .string(e.node.name) },
        NodeWriteRule("address", [.address], "verbatim") { e in .string(e.node.address) },
        NodeWriteRule("port", [.port], "number or `null`") { e in e.node.port.map { .int($0) } ?? .null },
        detail("proxyUrl"),
        NodeWriteRule("isConnected", [.status], "status `connected`; unknown → `false`") { e in .bool(e.node.status == .connected) },
        NodeWriteRule("isConnecting", [.status], "status `connecting`; unknown → `false`") { e in .bool(e.node.status == .connecting) },
        NodeWriteRule("isDisabled", [.status], "status `disabled`; unknown → `false`") { e in .bool(e.node.status == .disabled) },
        NodeWriteRule("lastStatusChange", [.statusChangedAt], "ISO with ms or `null`") { e in
            e.node.statusChangedAt.map { .string(PanelTime.remnawave($0)) } ?? .null
        },
        NodeWriteRule("lastStatusMessage", [.statusMessage], "text or `null`") { e in e.node.statusMessage.map { .string($0) } ?? .null },
        NodeWriteRule("trafficResetDay", [.trafficResetDay], "number or `null`") { e in e.node.trafficResetDay.map { .int($0) } ?? .null },
        NodeWriteRule("consumptionMultiplier", [.usageCoefficient], "number; unknown → `1` (both panels' default)") { e in
            .double(e.node.usageCoefficient ?? 1)
        },
        NodeWriteRule("nodeConsumptionMultiplier", [.remnawaveDetails, .usageCoefficient], "a Remnawave source's value, else the coefficient, else `1`") { e in
            let own = e.node.remnawaveDetails["nodeConsumptionMultiplier"].flatMap { $0.isNull ? nil : $0 }
            return own ?? .double(e.node.usageCoefficient ?? 1)
        },
        NodeWriteRule("isTrafficTrackingActive", [.trafficTrackingActive], "flag; unknown → `false`") { e in
            .bool(e.node.trafficTrackingActive ?? false)
        },
        NodeWriteRule("trafficLimitBytes", [.trafficLimitBytes], "bytes; unknown → `0` (the panel writes `Number(null)`, 0)") { e in
            .int(e.node.trafficLimitBytes ?? 0)
        },
        NodeWriteRule("trafficUsedBytes", [.trafficUsedBytes], "bytes; unknown → `0`") { e in .int(e.node.trafficUsedBytes ?? 0) },
        NodeWriteRule("notifyPercent", [.notifyPercent], "number or `null`") { e in e.node.notifyPercent.map { .int($0) } ?? .null },
        NodeWriteRule("note", [.note], "text or `null`") { e in e.node.note.map { .string($0) } ?? .null },
        NodeWriteRule("viewPosition", [.viewPosition], "number; unknown → `0`") { e in .int(e.node.viewPosition ?? 0) },
        NodeWriteRule("countryCode", [.countryCode], "source code, else `XX` (the panel's \"unknown\")") { e in
            .string(e.node.countryCode ?? "XX")
        },
        NodeWriteRule("tags", [.tags], "strings; unknown → `[]`") { e in .array(e.node.tags.map { .string($0) }) },
        detail("integrationUuids"),
        detail("ips"),
        NodeWriteRule("createdAt", [.createdAt, .occurredAt], "ISO with ms; unknown → event time") { e in
            .string(PanelTime.remnawave(e.node.createdAt ?? e.occurredAt))
        },
        NodeWriteRule("updatedAt", [.updatedAt, .occurredAt], "ISO with ms; unknown → event time") { e in
            .string(PanelTime.remnawave(e.node.updatedAt ?? e.occurredAt))
        },
        detail("configProfile"),
        detail("providerUuid"),
        detail("provider"),
        detail("activePluginUuid"),
        NodeWriteRule("xrayUptime", [.xrayUptimeSeconds], "seconds; unknown → `0`") { e in .double(e.node.xrayUptimeSeconds ?? 0) },
        NodeWriteRule("usersOnline", [.usersOnline], "number; unknown → `0`") { e in .int(e.node.usersOnline ?? 0) },
        detail("system"),
        NodeWriteRule("versions", [.xrayVersion, .nodeVersion], "`{xray, node}`, an unknown one `\"\"`; both unknown → `null`") { e in
            guard e.node.xrayVersion != nil || e.node.nodeVersion != nil else { return .null }
            return ["xray": .string(e.node.xrayVersion ?? ""), "node": .string(e.node.nodeVersion ?? "")]
        },
    ]

    /// A Remnawave-only key: the source's value as it came, else the panel's empty value.
    static func detail(_ key: String) -> NodeWriteRule {
        let empty = remnawaveDetailDefaults.first { $0.key == key }?.empty ?? .null
        return NodeWriteRule(key, [.remnawaveDetails], "a Remnawave source's value, else `\(JSONWriter.string(empty))`") { e in
            e.node.remnawaveDetails[key] ?? empty
        }
    }

    /// The key every derived node id is made from: the source and the node's name, which both
    /// panels keep unique.
    static func nodeKey(_ e: PanelNodeEvent) -> String { "\(e.source):node:\(e.node.name)" }

    /// The Remnawave node for a node event that did not come from Remnawave: every key the
    /// panel sends, from the canonical node; keys of a caller's own data (`POST /events`) that
    /// the model does not know follow, as written.
    static func remnawaveObject(_ e: PanelNodeEvent, callerData: JSONValue?) -> JSONValue {
        guard case .object(var members) = NodeWriteRule.object(remnawaveWriter, e) else { return .null }
        if let extra = callerData?.objectMembers {
            let known = Set(remnawaveWriter.map(\.key))
            members += extra.filter { !known.contains($0.key) }
        }
        return .object(members)
    }
}
