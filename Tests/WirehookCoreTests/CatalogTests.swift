import Foundation
import Testing
import WirehookCore

struct CatalogTests {
    let catalog = EventCatalog.standard

    static let remnawaveEvents = [
        "user.created", "user.modified", "user.deleted", "user.revoked", "user.disabled", "user.enabled", "user.limited",
        "user.expired", "user.traffic_reset", "user.expires_in_72_hours", "user.expires_in_48_hours",
        "user.expires_in_24_hours", "user.expired_24_hours_ago", "user.first_connected",
        "user.bandwidth_usage_threshold_reached", "user.not_connected", "user.expiration", "user_hwid_devices.added",
        "user_hwid_devices.deleted", "node.created", "node.modified", "node.disabled", "node.enabled", "node.deleted",
        "node.connection_lost", "node.connection_restored", "node.traffic_notify", "service.panel_started",
        "service.login_attempt_failed", "service.login_attempt_success", "service.subpage_config_changed",
        "service.api_token_created", "service.api_token_deleted", "crm.infra_billing_node_payment_in_7_days",
        "crm.infra_billing_node_payment_in_48hrs", "crm.infra_billing_node_payment_in_24hrs",
        "crm.infra_billing_node_payment_due_today", "crm.infra_billing_node_payment_overdue_24hrs",
        "crm.infra_billing_node_payment_overdue_48hrs", "crm.infra_billing_node_payment_overdue_7_days",
        "errors.bandwidth_usage_threshold_reached_max_notifications", "torrent_blocker.report",
    ]
    static let marzbanActions = [
        "user_created", "user_updated", "user_deleted", "user_limited", "user_expired", "user_enabled", "user_disabled",
        "data_usage_reset", "data_reset_by_next", "subscription_revoked", "reached_usage_percent", "reached_days_left",
    ]
    static let vpnEnterpriseTypes = [
        "user.created", "user.updated", "user.deleted", "user.login", "vpn.connected", "vpn.disconnected",
        "vpn.server.created", "vpn.server.deleted", "database.created", "database.updated", "database.deleted",
        "database.backup.completed", "billing.invoice.created", "billing.invoice.paid", "billing.invoice.failed",
        "billing.subscription.updated",
    ]
    static let wgPortalEvents: [(String, String)] = [
        ("create", "user"), ("update", "user"), ("delete", "user"), ("create", "peer"), ("update", "peer"),
        ("delete", "peer"), ("create", "interface"), ("update", "interface"), ("delete", "interface"),
        ("connect", "peer_metric"), ("disconnect", "peer_metric"),
    ]

    @Test func everyEventNamedInTheSeedsIsInTheCatalog() {
        for name in Self.remnawaveEvents { #expect(catalog.fromRemnawave(name) != nil, "remnawave \(name)") }
        for action in Self.marzbanActions { #expect(catalog.fromMarzban(action) != nil, "marzban \(action)") }
        for type in Self.vpnEnterpriseTypes {
            #expect(catalog.entries.contains { $0.names.vpnEnterprise == type }, "vpn-enterprise \(type)")
        }
        for (event, entity) in Self.wgPortalEvents {
            #expect(catalog.fromWGPortal(event: event, entity: entity) != nil, "wg-portal \(event)/\(entity)")
        }
    }

    @Test func entriesAreCompleteAndUnique() {
        #expect(Set(catalog.entries.map(\.name)).count == catalog.entries.count)
        for entry in catalog.entries {
            #expect(EventType.isValid(entry.name), "\(entry.name)")
            #expect(!entry.summary.isEmpty, "\(entry.name) has a description")
            #expect(entry.name.hasPrefix(entry.scope + "."), "\(entry.name) is in scope \(entry.scope)")
            #expect(entry.example.objectMembers?.isEmpty == false, "\(entry.name) has an example payload")
        }
    }

    @Test func counterpartsShareOneEntry() throws {
        let updated = try #require(catalog.entry("user.updated"))
        #expect(updated.names.remnawave == "user.modified")
        #expect(updated.names.marzban == "user_updated")
        #expect(updated.names.wgPortal == .init("update", "user"))
        #expect(updated.names.vpnEnterprise == "user.updated")
        #expect(catalog.resolve("user.modified")?.name == "user.updated")
        #expect(catalog.fromMarzban("user_updated")?.name == "user.updated")
        #expect(catalog.fromWGPortal(event: "update", entity: "user")?.name == "user.updated")
        #expect(catalog.fromMarzban("data_usage_reset")?.name == catalog.fromRemnawave("user.traffic_reset")?.name)
        #expect(catalog.fromMarzban("subscription_revoked")?.name == catalog.fromRemnawave("user.revoked")?.name)
        #expect(catalog.fromWGPortal(event: "connect", entity: "peer_metric")?.name == "vpn.connected")
    }

    @Test func docsAreGeneratedFromTheCatalog() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let events = try String(contentsOf: root.appendingPathComponent("docs/events.md"), encoding: .utf8)
        let dialects = try String(contentsOf: root.appendingPathComponent("docs/dialects.md"), encoding: .utf8)
        #expect(events == CatalogDocument.events(catalog), "docs/events.md drifted: run `swift run wirehook docs --write`")
        #expect(dialects == CatalogDocument.dialects(catalog), "docs/dialects.md drifted: run `swift run wirehook docs --write`")
    }

    @Test func everyFormatRendersEveryCatalogEventOrSaysWhyNot() throws {
        for formatName in FormatRegistry.standard.names {
            let format = try #require(FormatRegistry.standard[formatName])
            for entry in catalog.entries {
                let event = Event(
                    id: "evt_1", type: entry.name, occurredAt: Date(timeIntervalSince1970: 1_768_471_200),
                    data: entry.example)
                switch format.render(event) {
                case .body(let bytes):
                    #expect((try? JSONParser.parse(bytes)) != nil, "\(formatName) \(entry.name) renders JSON")
                    if formatName == "discord" || formatName == "telegram" {
                        #expect(bytes.count > 40, "\(formatName) \(entry.name) says something readable")
                    }
                case .skip(let reason):
                    #expect(!["standard", "discord", "telegram"].contains(formatName), "\(formatName) skipped \(entry.name)")
                    #expect(!reason.isEmpty)
                }
            }
        }
    }
}

struct PanelNormalizerTests {
    let normalizer = PanelNormalizer()
    let now = Date(timeIntervalSince1970: 1_768_471_200)

    @Test func remnawaveBothEnvelopes() throws {
        let new = try JSONParser.parse(#"{"scope":"user","event":"user.modified","timestamp":"2026-01-15T10:00:00.000Z","data":{"b":1,"a":2},"meta":{"expiration":-72}}"#)
        let event = try normalizer.remnawave(new, raw: [1], now: now)
        #expect(event.type == "user.updated")
        #expect(event.data.objectMembers?.map(\.key) == ["b", "a"])
        #expect(event.attributes["meta"] == ["expiration": -72])
        #expect(event.occurredAt == now)
        let old = try JSONParser.parse(#"{"event":"node.modified","timestamp":"2026-01-15T10:00:00.000Z","data":{}}"#)
        #expect(try normalizer.remnawave(old, raw: [2], now: now).type == "node.modified")
        #expect(throws: WirehookError.self) { try normalizer.remnawave(["data": [:]], raw: [], now: now) }
    }

    @Test func marzbanArrayAndSingleObject() throws {
        let body = try JSONParser.parse(#"[{"username":"a","action":"user_limited","enqueued_at":1680506457.636369,"tries":2,"user":{"status":"limited"}}]"#)
        let events = try normalizer.marzban(body, now: now)
        #expect(events.map(\.type) == ["user.limited"])
        #expect(events[0].data == ["username": "a", "user": ["status": "limited"]])
        // `enqueued_at` is the panel process's start time: the event happened when it arrived.
        #expect(events[0].occurredAt == now)
        #expect(events[0].attributes["enqueued_at"] == .number("1680506457.636369"), "kept for Marzban receivers")
        #expect(try normalizer.marzban(["username": "a", "action": "user_created"], now: now).count == 1)
        #expect(throws: WirehookError.self) { try normalizer.marzban("nope", now: now) }
        // Out-of-range times are refused, not converted (they used to trap the process).
        for bad in ["-1e308", "-1e11", "1e17", "123456789012345678901234567890"] {
            let body = try JSONParser.parse(#"[{"action":"user_created","enqueued_at":"# + bad + "}]")
            #expect(throws: WirehookError.self) { try normalizer.marzban(body, now: now) }
        }
    }

    @Test func wgPortalOldConnectShapeBecomesTheCurrentOne() throws {
        let old = try JSONParser.parse(#"{"event":"disconnect","entity":"peer","identifier":"K=","payload":{"PeerId":"K=","IsConnected":false}}"#)
        let event = try normalizer.wgPortal(old, raw: [3], now: now)
        #expect(event.type == "vpn.disconnected")
        #expect(event.data == ["Status": ["IsConnected": false], "Peer": ["Identifier": "K="]])
        #expect(event.attributes["identifier"] == "K=")
    }
}
