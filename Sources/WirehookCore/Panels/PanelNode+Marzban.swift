/// Marzban's `NodeResponse` (`app/models/node.py`) to and from the canonical node.
///
/// Marzban sends no node notifications, so no delivery carries this shape today; the mapping is
/// here so a node read from either panel has one documented meaning in the other, and the
/// catalog and tests can speak Marzban's node model.
extension PanelNode {
    static let marzbanStatuses: [String: Status] = [
        "connected": .connected, "connecting": .connecting, "error": .error, "disabled": .disabled,
    ]

    public static let marzbanReader: [NodeReadRule] = [
        NodeReadRule(.name, "`name`") { e, out throws(WirehookError) in
            out.node.name = try PanelValue.string(e.data["name"], "data.name") ?? ""
        },
        NodeReadRule(.address, "`address`") { e, out throws(WirehookError) in
            out.node.address = try PanelValue.string(e.data["address"], "data.address") ?? ""
        },
        NodeReadRule(.port, "`port` (the node service)") { e, out throws(WirehookError) in
            out.node.port = try PanelValue.integer(e.data["port"], "data.port")
        },
        NodeReadRule(.apiPort, "`api_port` (Xray API)") { e, out throws(WirehookError) in
            out.node.apiPort = try PanelValue.integer(e.data["api_port"], "data.api_port")
        },
        NodeReadRule(.usageCoefficient, "`usage_coefficient`") { e, out throws(WirehookError) in
            out.node.usageCoefficient = try PanelValue.double(e.data["usage_coefficient"], "data.usage_coefficient")
        },
        NodeReadRule(.panelID, "`id`") { e, out throws(WirehookError) in
            out.node.panelID = try PanelValue.integer(e.data["id"], "data.id")
        },
        NodeReadRule(.xrayVersion, "`xray_version`") { e, out throws(WirehookError) in
            out.node.xrayVersion = try PanelValue.string(e.data["xray_version"], "data.xray_version")
        },
        NodeReadRule(.status, "`status` (`connected`, `connecting`, `error`, `disabled`)") { e, out throws(WirehookError) in
            guard let text = try PanelValue.string(e.data["status"], "data.status") else { return }
            guard let status = marzbanStatuses[text.lowercased()] else {
                throw WirehookError.invalid("'data.status' must be one of connected, connecting, error, disabled")
            }
            out.node.status = status
        },
        NodeReadRule(.statusMessage, "`message`") { e, out throws(WirehookError) in
            out.node.statusMessage = try PanelValue.string(e.data["message"], "data.message")
        },
        NodeReadRule(.occurredAt, "(none: Marzban sends no node events)") { _, _ in },
    ]

    /// Marzban's `NodeResponse` in pydantic's field order (`Node`'s fields, then its own).
    public static let marzbanWriter: [NodeWriteRule] = [
        NodeWriteRule("name", [.name], "verbatim") { e in .string(e.node.name) },
        NodeWriteRule("address", [.address], "verbatim") { e in .string(e.node.address) },
        NodeWriteRule("port", [.port], "number; unknown → `62050` (the model's default)") { e in .int(e.node.port ?? 62050) },
        NodeWriteRule("api_port", [.apiPort], "number; unknown → `62051` (the model's default; Remnawave has no API port)") { e in
            .int(e.node.apiPort ?? 62051)
        },
        NodeWriteRule("usage_coefficient", [.usageCoefficient], "number above 0 (the model's `gt=0`); unknown or not above 0 → `1.0`") { e in
            // Python's `float` renders 1 as 1.0; receivers parse either.
            .double(e.node.usageCoefficient.flatMap { $0 > 0 ? $0 : nil } ?? 1)
        },
        NodeWriteRule("id", [.panelID, .name], "the `id` of a Marzban node or of a caller's own data, else `DerivedID.integer(\"<source>:node:<name>\")`") { e in
            .int((e.source == "marzban" || !PanelTranslator.panels.contains(e.source) ? e.node.panelID : nil) ?? DerivedID.integer(nodeKey(e)))
        },
        NodeWriteRule("xray_version", [.xrayVersion], "text or `null`") { e in e.node.xrayVersion.map { .string($0) } ?? .null },
        NodeWriteRule("status", [.status], "lower case; unknown → `connecting` (a new Marzban node's first status)") { e in
            .string((e.node.status ?? .connecting).rawValue)
        },
        NodeWriteRule("message", [.statusMessage], "text or `null`") { e in e.node.statusMessage.map { .string($0) } ?? .null },
    ]
}
