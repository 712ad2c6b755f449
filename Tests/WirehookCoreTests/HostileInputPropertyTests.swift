import Foundation
import PropertyBased
import Testing
import WirehookCore
import WirehookTestSupport

/// Generated hostile events through the parser, every writer style and every format: nothing
/// traps, and whatever is produced is JSON that carries the same data.
///
/// A failure names its case seed (in the input the property library prints, and on standard
/// error if the process traps); `WIREHOOK_PROPERTY_SEED=0x… swift test --filter HostileInput`
/// reruns exactly that case.
struct HostileInputPropertyTests {
    /// Runs `check` on `count` generated cases, or only on the case the seed variable names.
    static func forEachCase(
        _ property: String, count: Int, hugeStrings: Bool = true,
        _ check: (HostileEvent) async throws -> Void
    ) async {
        if let seed = PropertySeed.fixed {
            await PropertySeed.running(property, seed: seed) {
                do {
                    try await check(HostileJSON.event(seed: seed, hugeStrings: hugeStrings))
                } catch {
                    Issue.record("\(error) for case seed \(PropertySeed.hex(seed))")
                }
            }
            return
        }
        await propertyCheck(count: count, input: Gen.uint64().map { HostileJSON.event(seed: $0, hugeStrings: hugeStrings) }) {
            event in
            // PropertyBased 2.0.1 drops errors thrown by the body (`try?`), so they become issues
            // here, which it counts and reports with the seed.
            do {
                try await PropertySeed.running(property, seed: event.seed) { try await check(event) }
            } catch {
                Issue.record("\(error) for \(event)")
            }
        }
    }

    /// Deep enough for a body that wraps data nested to the parser's limit (Marzban's array
    /// adds a level); receivers' own parsers allow far more.
    static let readBack = JSONParser.Limits(maxDepth: 128)

    @Test func parserAndEveryWriterStyleRoundTrip() async {
        await Self.forEachCase("parserAndEveryWriterStyleRoundTrip", count: 200) { event in
            let value: JSONValue
            do {
                value = try JSONParser.parse(event.eventText)
            } catch {
                return  // Refused cleanly: the server answers 400 with the parser's message.
            }
            for style in [JSONWriter.Style.compact, .go] {
                let bytes = JSONWriter.serialize(value, style: style)
                let back = try JSONParser.parse(bytes, limits: Self.readBack)
                #expect(back == value, "\(style) style changed the value of \(event)")
            }
            for (style, language) in [(JSONWriter.Style.javascript, LanguageView.Language.javascript), (.python, .python)] {
                let bytes = JSONWriter.serialize(value, style: style)
                let back = try JSONParser.parse(bytes, limits: Self.readBack)
                #expect(
                    LanguageView(back, as: language) == LanguageView(value, as: language),
                    "\(style) style changed what \(language) reads from \(event)")
            }
        }
    }

    @Test func everyFormatRendersHostileEventsAsJSONCarryingTheData() async {
        let registry = FormatRegistry.standard
        let catalog = EventCatalog.standard
        let at = Date(timeIntervalSince1970: 1_768_471_200)
        await Self.forEachCase("everyFormatRendersHostileEventsAsJSONCarryingTheData", count: 120) { event in
            guard let parsed = try? JSONParser.parse(event.eventText), let data = parsed["data"] else { return }
            if let problem = EventDataRules.problem(in: data, path: "data") {
                // Refused at the edge with a 422 that names the field.
                #expect(problem.hasPrefix("'data"), "\(problem)")
                return
            }
            let type = catalog.resolve(event.type)?.name ?? event.type
            for source in ["api", "marzban"] {
                let canonical = Event(id: "evt_1", type: type, occurredAt: at, data: data, source: source)
                for name in registry.names {
                    let format = try #require(registry[name])
                    guard case .body(let stored) = format.render(canonical) else { continue }
                    _ = try JSONParser.parse(stored, limits: Self.readBack)
                    let prepared = format.request(
                        for: OutgoingRequest(
                            endpointURL: "https://receiver.example/hook", secret: Self.secret(for: name),
                            options: Self.options(for: name),
                            items: [
                                OutgoingItem(
                                    eventID: canonical.id, eventType: type, occurredAt: at, body: stored,
                                    previousAttempts: Int.max)
                            ], attemptedAt: at))
                    let body = try JSONParser.parse(prepared.body, limits: Self.readBack)
                    try Self.expectCarries(data, in: body, format: name, source: source, type: type, event: event)
                }
            }
        }
    }

    static func expectCarries(
        _ data: JSONValue, in body: JSONValue, format: String, source: String, type: String, event: HostileEvent
    ) throws {
        switch format {
        case "standard", "vpn-enterprise":
            #expect(body["data"] == data, "\(format) must carry data verbatim: \(event)")
        case "wg-portal" where source == "api" || !type.hasPrefix("user."):
            #expect(body["payload"] == data, "wg-portal must carry data verbatim: \(event)")
        case "remnawave" where source != "api" && type.hasPrefix("user."):
            // Another panel's user event is translated into Remnawave's user model.
            #expect(body["data"] != nil, "a translated Remnawave user event has data: \(event)")
        case "remnawave" where source != "remnawave" && type.hasPrefix("node."):
            // A node from outside Remnawave is completed into the panel's node model; the caller's
            // keys that the model does not know follow as written.
            let sent = try #require(body["data"]?.objectMembers, "a completed Remnawave node is an object: \(event)")
            for key in [
                "uuid", "name", "address", "isConnected", "isConnecting", "isDisabled", "consumptionMultiplier",
                "isTrafficTrackingActive", "viewPosition", "countryCode", "createdAt", "updatedAt", "configProfile",
            ] {
                #expect(sent.contains { $0.key == key }, "the SDK's NodeDto requires '\(key)': \(event)")
            }
            let modelKeys = Set(PanelNode.remnawaveWriter.map(\.key))
            // Only a caller's own data (not another panel's node, which is translated) keeps extra keys.
            let extras = PanelTranslator.panels.contains(source) ? [] : data.objectMembers ?? []
            // JavaScript keeps the last of duplicate keys, and so does the writer.
            var last: [String: Int] = [:]
            for (i, member) in extras.enumerated() { last[member.key] = i }
            for (i, member) in extras.enumerated() where !modelKeys.contains(member.key) && last[member.key] == i {
                let carried = sent.contains {
                    $0.key == member.key && LanguageView($0.value, as: .javascript) == LanguageView(member.value, as: .javascript)
                }
                #expect(carried, "the caller's '\(member.key)' is carried: \(event)")
            }
        case "remnawave":
            let sent = try #require(body["data"])
            #expect(
                LanguageView(sent, as: .javascript) == LanguageView(data, as: .javascript),
                "remnawave data must read the same in JavaScript: \(event)")
            if type == "user.expiration" {
                // What the panel's JavaScript computes: -24 * max(days, 1) in doubles, null when infinite.
                let expected = data["days_left"]?.doubleValue.map { -24 * max($0, 1) }
                let meta = body["meta"]?["expiration"]
                switch (expected, meta) {
                case (let value?, .number(let literal)?) where value.isFinite: #expect(Double(literal) == value, "\(event)")
                case (let value?, .null?) where !value.isFinite: break
                case (nil, nil): #expect(body["meta"] == nil, "no meta: the key is left out, \(event)")
                default: Issue.record("remnawave meta \(String(describing: meta)) for days_left \(String(describing: data["days_left"])): \(event)")
                }
            }
        case "marzban" where source == "api":
            let user = try #require(body.arrayValue?.first?["user"])
            #expect(
                LanguageView(user, as: .python) == LanguageView(data, as: .python),
                "marzban data must read the same in Python: \(event)")
        default:
            break  // Chat formats summarise; that they parse is the property.
        }
    }

    static func secret(for format: String) -> String {
        switch format {
        case "standard", "vpn-enterprise": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        case "remnawave": String(repeating: "aB3", count: 22)
        case "telegram": "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        case "wg-portal": "Bearer s3cr3t"
        case "marzban": "something-very-very-secret"
        default: ""
        }
    }

    static func options(for format: String) -> JSONValue {
        switch format {
        case "telegram": ["chat_id": .number("-1001234567890")]
        case "marzban": ["hmac_signature": true]
        default: .object([])
        }
    }
}

/// The fixed cases behind the properties: the values that once crashed the server.
struct ArithmeticTrapTests {
    @Test(arguments: ["9223372036854775807", "-9223372036854775808", "1e308", "-0", "1.5"])
    func remnawaveExpirationIsComputedAsJavaScriptDoes(daysLeft: String) throws {
        let event = Event(
            id: "evt_1", type: "user.expiration", occurredAt: Date(timeIntervalSince1970: 1_768_471_200),
            data: ["username": "x", "days_left": .number(daysLeft)])
        guard case .body(let bytes) = RemnawaveFormat().render(event) else {
            Issue.record("user.expiration has a Remnawave name")
            return
        }
        let expected: [String: String] = [
            // What node prints for JSON.stringify({expiration: -days * 24}).
            // days_left below 1 (under a day left) is Remnawave's -24, not "expired 0 hours ago".
            "9223372036854775807": "-221360928884514620000", "-9223372036854775808": "-24",
            "1e308": "null", "-0": "-24", "1.5": "-36",
        ]
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasSuffix(#","meta":{"expiration":\#(expected[daysLeft]!)}}"#), "\(text)")
    }

    @Test func numbersPastADoubleAreRefusedNamingTheField() {
        let data: JSONValue = ["user": ["limits": [.number("1"), ["days_left": .number("-1e400")]]]]
        let problem = EventDataRules.problem(in: data, path: "data")
        #expect(problem?.hasPrefix("'data.user.limits[1].days_left' is -1e400") == true, "\(problem ?? "nil")")
        let long = String(repeating: "9", count: 400)
        #expect(EventDataRules.problem(in: ["": .number(long)], path: "data")?.contains(#"'data[""]'"#) == true)
        #expect(EventDataRules.problem(in: ["a": .number("9223372036854775807"), "b": .number("1e-400")], path: "data") == nil)
    }

    @Test func conversionsSaturateInsteadOfTrapping() {
        #expect(Int64(saturating: .infinity) == .max)
        #expect(Int64(saturating: -.infinity) == .min)
        #expect(Int64(saturating: .nan) == 0)
        #expect(Int64(saturating: 9.3e18) == .max)
        #expect(Int64(saturating: -1.5) == -1)
        #expect(Duration.seconds(Int64.max).milliseconds == .max)
        #expect(Duration.seconds(Int64.min).nanoseconds == .min)
        #expect(Duration.milliseconds(1500).nanoseconds == 1_500_000_000)
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: -1e300)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 1e300)) == "9999-12-31T23:59:59.999Z")
        #expect(Timestamp.milliseconds(Date(timeIntervalSince1970: .nan)) == 0)
    }
}
