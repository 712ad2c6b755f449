import Foundation
import Testing
import WirehookCore
import WirehookTestSupport

/// The catalog's examples and every translated body, checked against schemas written from each
/// panel's own model (`Tests/Fixtures/schemas`), plus the derived ids and the docs tables.
struct PanelMappingTests {
    let catalog = EventCatalog.standard
    let schemas = SchemaValidator.fixtures
    let at = Date(timeIntervalSince1970: 1_768_471_200)

    func expectConforms(_ value: JSONValue, _ schema: String, _ what: String) throws {
        let problems = try schemas.problems(value, against: schema)
        #expect(problems.isEmpty, "\(what) against \(schema): \(problems.joined(separator: "; "))")
    }

    @Test func catalogExamplesAreThePanelsCurrentShapes() throws {
        for entry in catalog.entries {
            switch entry.scope {
            case "user" where entry.names.remnawave != nil:
                try expectConforms(entry.example, "remnawave-user.json", entry.name)
            case "user_hwid_devices":
                try expectConforms(try #require(entry.example["user"]), "remnawave-user.json", entry.name)
                try expectConforms(try #require(entry.example["hwidUserDevice"]), "remnawave-hwid-device.json", entry.name)
            case "node":
                try expectConforms(entry.example, "remnawave-node.json", entry.name)
            case "torrent_blocker":
                try expectConforms(try #require(entry.example["user"]), "remnawave-user.json", entry.name)
                try expectConforms(try #require(entry.example["node"]), "remnawave-node.json", entry.name)
            default:
                break
            }
            if entry.names.remnawave == nil, entry.names.marzban != nil {
                try expectConforms(try #require(entry.example["user"]), "marzban-user.json", entry.name)
            }
        }
    }

    @Test func theSchemasCatchAnotherPanelsShape() throws {
        // A Marzban user where a Remnawave one belongs, and the old flat Remnawave example.
        let marzban = try #require(catalog.entry("user.data_reset_by_next")?.example["user"])
        #expect(try !schemas.problems(marzban, against: "remnawave-user.json").isEmpty)
        let old: JSONValue = ["uuid": "9f8c7b6a-5d4e-4f3a-8b2c-1d0e9f8a7b6c", "username": "x", "status": "ACTIVE", "usedTrafficBytes": 1]
        let problems = try schemas.problems(old, against: "remnawave-user.json")
        #expect(problems.contains { $0.contains("missing required 'id'") })
        #expect(problems.contains { $0.contains("'usedTrafficBytes' is not in the model") })
        #expect(try !schemas.problems(["status": "DISABLED"], against: "marzban-user.json").isEmpty)
    }

    /// Renders `event` in `format` and returns what one attempt sends.
    func send(_ event: Event, as format: String, options: JSONValue = [:]) throws -> JSONValue? {
        let formatter = try #require(FormatRegistry.standard[format])
        guard case .body(let stored) = formatter.render(event) else { return nil }
        let request = formatter.request(
            for: OutgoingRequest(
                endpointURL: "https://receiver.example/hook", secret: "", options: options,
                items: [OutgoingItem(eventID: event.id, eventType: event.type, occurredAt: at, body: stored, previousAttempts: 0)],
                attemptedAt: at))
        return try JSONParser.parse(request.body)
    }

    @Test func everyRemnawaveUserEventBecomesAValidMarzbanNotificationAndBack() throws {
        for entry in catalog.entries where entry.scope == "user" && entry.names.marzban != nil {
            var attributes: JSONValue = [:]
            if entry.name == "user.expiration" { attributes = ["meta": ["expiration": -48]] }
            let example = catalog.entry("user.created")!.example
            let fromRemnawave = Event(
                id: "e", type: entry.name, occurredAt: at, data: example, source: "remnawave", attributes: attributes)
            let element = try #require(try send(fromRemnawave, as: "marzban")?.arrayValue?.first, "\(entry.name)")
            try expectConforms(element, "marzban-notification.json", "\(entry.name) → marzban")
            #expect(element["action"]?.stringValue == entry.names.marzban)

            // The element back as Marzban posts it, then to Remnawave.
            let members = (element.objectMembers ?? []).filter { !["action", "enqueued_at", "send_at", "tries"].contains($0.key) }
            let fromMarzban = Event(id: "m", type: entry.name, occurredAt: at, data: .object(members), source: "marzban")
            if let body = try send(fromMarzban, as: "remnawave") {
                try expectConforms(body, "remnawave-webhook.json", "\(entry.name) → remnawave")
                try expectConforms(try #require(body["data"]), "remnawave-user.json", "\(entry.name) → remnawave data")
                #expect(body["data"]?["username"] == example["username"])
                let hasMeta = body.objectMembers?.contains { $0.key == "meta" } == true
                #expect(hasMeta == (entry.name == "user.expiration"), "\(entry.name): meta only on user.expiration")
            }
        }
    }

    @Test func roundTripKeepsEveryFieldBothPanelsShare() throws {
        let example = catalog.entry("user.updated")!.example
        let fromRemnawave = Event(id: "e", type: "user.updated", occurredAt: at, data: example, source: "remnawave")
        let element = try #require(try send(fromRemnawave, as: "marzban")?.arrayValue?.first)
        let members = (element.objectMembers ?? []).filter { !["action", "enqueued_at", "send_at", "tries"].contains($0.key) }
        let back = try #require(
            try send(Event(id: "m", type: "user.updated", occurredAt: at, data: .object(members), source: "marzban"), as: "remnawave"))
        let data = try #require(back["data"])
        for key in ["username", "status", "trafficLimitBytes", "expireAt", "description", "vlessUuid", "trojanPassword", "ssPassword", "createdAt", "subscriptionUrl"] {
            #expect(data[key] == example[key], "\(key) survives Remnawave → Marzban → Remnawave")
        }
        #expect(data["userTraffic"]?["usedTrafficBytes"] == example["userTraffic"]?["usedTrafficBytes"])
        #expect(data["userTraffic"]?["onlineAt"] == example["userTraffic"]?["onlineAt"])
    }

    @Test func derivedIDsAreRFC9562AndStable() {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com") and the namespace's own derivation.
        #expect(DerivedID.uuid("www.example.com", namespace: "6ba7b810-9dad-11d1-80b4-00c04fd430c8") == "2ed6657d-e927-568b-95e1-2665a8aea6a2")
        #expect(DerivedID.uuid("wirehook.panel-ids", namespace: "6ba7b810-9dad-11d1-80b4-00c04fd430c8") == DerivedID.namespace)
        #expect(DerivedID.uuid("marzban:alice") == "225dd0b0-fe2a-5d81-a962-11def6db60f4")
        #expect(DerivedID.integer("marzban:alice") == DerivedID.integer("marzban:alice"))
        #expect(DerivedID.integer("marzban:alice") != DerivedID.integer("marzban:bob"))
        #expect(DerivedID.integer("marzban:alice") < 1 << 48)
        #expect(DerivedID.shortUUID("marzban:alice").count == 16)
    }

    @Test func badFieldTypesAreRefusedNamingTheField() {
        let normalizer = PanelNormalizer()
        let body: JSONValue = [
            "scope": "user", "event": "user.modified", "timestamp": "2026-01-15T10:00:00.000Z",
            "data": ["username": "x", "trafficLimitBytes": "lots"],
        ]
        #expect(throws: WirehookError.self) { try normalizer.remnawave(body, raw: [], now: at) }
        do {
            _ = try normalizer.remnawave(body, raw: [], now: at)
        } catch {
            #expect(error.code == .invalidField)
            #expect(error.message.contains("data.trafficLimitBytes"))
        }
        let marzban: JSONValue = [["username": "x", "action": "user_updated", "user": ["status": "paused"]]]
        do {
            _ = try normalizer.marzban(marzban, now: at)
            Issue.record("an unknown Marzban status is refused")
        } catch {
            #expect(error.message.contains("user.status"))
        }
    }

    @Test func docsListEveryKeyTheTranslationWrites() throws {
        let samples: [String: Event] = [
            "remnawave": Event(id: "r", type: "user.disabled", occurredAt: at, data: catalog.entry("user.disabled")!.example, source: "remnawave"),
            "marzban": Event(id: "m", type: "user.disabled", occurredAt: at, data: catalog.entry("user.data_reset_by_next")!.example, source: "marzban"),
            "wg-portal": Event(id: "w", type: "user.updated", occurredAt: at, data: ["Identifier": "bob", "Notes": "n", "Disabled": "2025-06-27T08:00:00Z"], source: "wg-portal"),
        ]
        for (source, target) in MappingDocument.directions {
            var event = try #require(samples[source])
            if target == "wg-portal" { event.type = "user.updated" }
            let body = try #require(try send(event, as: target), "\(source) → \(target)")
            let documented = Set(MappingDocument.rows(source: source, target: target).map(\.key))
            var written: [String] = []
            switch target {
            case "remnawave":
                written = (body.objectMembers ?? []).filter { $0.key != "data" }.map { "`\($0.key)`" }
                    + (body["data"]?.objectMembers ?? []).map { "`data.\($0.key)`" }
            case "marzban":
                let element = try #require(body.arrayValue?.first)
                written = (element.objectMembers ?? []).map { "`\($0.key)`" } + (element["user"]?.objectMembers ?? []).map { "`user.\($0.key)`" }
            default:
                written = ["`identifier`"] + (body["payload"]?.objectMembers ?? []).map { "`payload.\($0.key)`" }
            }
            for key in written { #expect(documented.contains(key), "\(source) → \(target): \(key) is written but not in docs/dialects.md") }
        }
    }

    // MARK: Nodes

    var remnawaveNode: JSONValue { catalog.entry("node.created")!.example }

    /// Marzban's `NodeResponse` as its API returns it (`app/models/node.py`, field order kept).
    let marzbanNode: JSONValue = [
        "name": "DE node", "address": "192.168.1.1", "port": 62050, "api_port": 62051, "usage_coefficient": .double(1.5),
        "id": 3, "xray_version": "1.8.24", "status": "error", "message": "Failed to connect",
    ]

    @Test func remnawaveNodeRoundTripKeepsEveryField() throws {
        let event = Event(id: "n", type: "node.modified", occurredAt: at, data: remnawaveNode, source: "remnawave")
        let canonical = try #require(try PanelTranslator.readNode(event))
        #expect(canonical.node.name == "de-fra-1")
        #expect(canonical.node.status == .connected)
        #expect(canonical.node.port == 2222)
        #expect(canonical.node.trafficUsedBytes == 53_687_091_200)
        #expect(canonical.node.xrayVersion == "25.1.30")
        let back = try #require(PanelTranslator.writeNode(canonical, for: "remnawave"))
        try expectConforms(back, "remnawave-node.json", "remnawave → canonical → remnawave")
        // Every key, its value and the panel's key order.
        #expect(back.objectMembers?.map(\.key) == remnawaveNode.objectMembers?.map(\.key))
        for member in remnawaveNode.objectMembers ?? [] {
            #expect(back[member.key] == member.value, "\(member.key) survives Remnawave → canonical → Remnawave")
        }
    }

    @Test func marzbanNodeRoundTripAndBothDirections() throws {
        try expectConforms(marzbanNode, "marzban-node.json", "the Marzban fixture")
        let fromMarzban = Event(id: "m", type: "node.modified", occurredAt: at, data: marzbanNode, source: "marzban")
        let canonical = try #require(try PanelTranslator.readNode(fromMarzban))
        #expect(canonical.node.status == .error)
        #expect(canonical.node.apiPort == 62051)
        #expect(PanelTranslator.writeNode(canonical, for: "marzban") == marzbanNode)

        // Marzban → Remnawave: a whole Remnawave node, status as flags, Marzban's id not reused.
        let remnawave = try #require(PanelTranslator.writeNode(canonical, for: "remnawave"))
        try expectConforms(remnawave, "remnawave-node.json", "marzban → remnawave")
        #expect(remnawave["isConnected"] == false && remnawave["isConnecting"] == false && remnawave["isDisabled"] == false)
        #expect(remnawave["consumptionMultiplier"] == .double(1.5))
        #expect(remnawave["uuid"] == .string(DerivedID.uuid("marzban:node:DE node")))
        #expect(remnawave["id"] == .int(DerivedID.integer("marzban:node:DE node")))
        #expect(remnawave["versions"]?["xray"] == "1.8.24")

        // Remnawave → Marzban.
        let fromRemnawave = try #require(
            try PanelTranslator.readNode(Event(id: "r", type: "node.disabled", occurredAt: at, data: remnawaveNode, source: "remnawave")))
        let marzban = try #require(PanelTranslator.writeNode(fromRemnawave, for: "marzban"))
        try expectConforms(marzban, "marzban-node.json", "remnawave → marzban")
        #expect(marzban["status"] == "connected")
        #expect(marzban["port"] == 2222)
        #expect(marzban["api_port"] == 62051)
        #expect(marzban["id"] != 7, "Remnawave's id numbers Remnawave's nodes")
    }

    @Test func aPartialNodeIsRenderedWholeForRemnawave() throws {
        let partial: JSONValue = ["name": "nl-ams-1", "address": "ams.example.com", "isConnected": "yes", "region": "eu"]
        let event = Event(id: "p", type: "node.created", occurredAt: at, data: partial)
        let body = try #require(try send(event, as: "remnawave"))
        try expectConforms(body, "remnawave-webhook.json", "partial node.created")
        let data = try #require(body["data"])
        // The caller's own extra key follows the model's keys; the schema would refuse it, so check it apart.
        #expect(data["region"] == "eu")
        let modelOnly = JSONValue.object((data.objectMembers ?? []).filter { $0.key != "region" })
        try expectConforms(modelOnly, "remnawave-node.json", "partial node.created data")
        #expect(data["isConnected"] == false, "a wrong-typed flag counts as unknown")
        #expect(data["uuid"] == .string(DerivedID.uuid("api:node:nl-ams-1")))
        #expect(data["createdAt"] == .string(Timestamp.iso8601(at)))
        #expect(try send(event, as: "remnawave") == body, "derived values are deterministic")
    }

    @Test func aRemnawaveNodeToRemnawaveKeepsItsBytesAndMarzbanSkipsNodes() throws {
        let partial: JSONValue = ["name": "nl-ams-1", "address": "ams.example.com", "xrayUptime": "12"]
        let fromPanel = Event(id: "r", type: "node.connection_lost", occurredAt: at, data: partial, source: "remnawave")
        let body = try #require(try send(fromPanel, as: "remnawave"))
        #expect(body["data"] == partial)
        let marzban = try #require(FormatRegistry.standard["marzban"])
        guard case .skip = marzban.render(fromPanel) else {
            Issue.record("Marzban has no node notifications")
            return
        }
    }

    @Test func docsListEveryNodeKeyTheTranslationWrites() throws {
        let samples: [String: Event] = [
            "remnawave": Event(id: "r", type: "node.modified", occurredAt: at, data: remnawaveNode, source: "remnawave"),
            "marzban": Event(id: "m", type: "node.modified", occurredAt: at, data: marzbanNode, source: "marzban"),
            "api": Event(id: "a", type: "node.modified", occurredAt: at, data: remnawaveNode, source: "remnawave"),
        ]
        for (source, target) in MappingDocument.nodeDirections {
            let sample = try #require(samples[source])
            let canonical = try #require(try PanelTranslator.readNode(sample))
            let written = try #require(PanelTranslator.writeNode(canonical, for: target)).objectMembers ?? []
            let prefix = target == "remnawave" ? "data." : ""
            let documented = MappingDocument.nodeRows(source: source, target: target).map(\.key)
            #expect(documented == written.map { "`\(prefix)\($0.key)`" }, "\(source) → \(target)")
        }
        #expect(CatalogDocument.dialects().contains("### Node: Marzban → Remnawave"))
    }
}
