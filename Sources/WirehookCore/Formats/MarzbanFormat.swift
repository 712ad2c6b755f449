import Foundation
import WirehookVerify

/// Marzban: every due notification of a flush in one JSON array, written as Python's `json.dumps`
/// writes it, with the secret verbatim in `x-webhook-secret`.
public struct MarzbanFormat: WebhookFormat {
    public let name = "marzban"
    let catalog: EventCatalog
    /// The panel's `JOB_SEND_NOTIFICATIONS_INTERVAL` default.
    public static let defaultInterval = 30

    public init(catalog: EventCatalog = .standard) { self.catalog = catalog }

    /// The admin name for `by` and `user.admin` when the source names none; an endpoint's
    /// `options.marzban_admin` replaces it.
    public static let defaultAdminName = "wirehook"
    /// Marks, in a stored element only, where an admin was made up; `request(for:)` removes it.
    static let synthesizedMarker = "_wirehook_synthesized_admin"

    /// Stores one element without `tries`, which is added per send. Keys in the panel's order:
    /// `enqueued_at, send_at, (tries), username, action`, then the action's own fields.
    public func render(_ event: Event) -> Rendering {
        guard let entry = catalog.entry(event.type), let action = entry.names.marzban else {
            return .skip(reason: "Marzban has no action for '\(event.type)'")
        }
        let seconds = JSONValue.number(PythonNumber.formatFloat(event.occurredAt.timeIntervalSince1970))
        var members: [JSONMember] = []
        if event.source == "marzban", case .object(let fields) = event.data {
            // Came from Marzban: its own times and fields, in the panel's order.
            members.append(JSONMember("enqueued_at", event.attributes["enqueued_at"] ?? seconds))
            members.append(JSONMember("send_at", event.attributes["send_at"] ?? event.attributes["enqueued_at"] ?? seconds))
            members.append(JSONMember("username", .string(DialectFields.username(of: event))))
            members.append(JSONMember("action", .string(action)))
            members += fields.filter { $0.key != "username" }
        } else if let translated = PanelTranslator.foreign(event, target: name) {
            if entry.name == "user.expiration", let hours = translated.expirationHours, hours >= 0 {
                return .skip(reason: "Marzban reports days left before expiry only; user_expired covers an expired user")
            }
            members = [
                JSONMember("enqueued_at", seconds), JSONMember("send_at", seconds),
                JSONMember("username", .string(translated.user.username)), JSONMember("action", .string(action)),
            ]
            let keys = PanelUser.marzbanActionKeys[action] ?? ["user"]
            for rule in PanelUser.marzbanElementWriter where keys.contains(rule.key) {
                if let value = rule.value(translated) { members.append(JSONMember(rule.key, value)) }
            }
            var synthesized: [JSONValue] = []
            if keys.contains("by"), translated.actor == nil { synthesized.append("by") }
            if keys.contains("user"), translated.user.owner == nil { synthesized.append("user.admin") }
            if !synthesized.isEmpty { members.append(JSONMember(Self.synthesizedMarker, .array(synthesized))) }
        } else {
            // From POST /events: the caller's data is the user; the admin is made up where the action has one.
            members = [
                JSONMember("enqueued_at", seconds), JSONMember("send_at", seconds),
                JSONMember("username", .string(DialectFields.username(of: event))), JSONMember("action", .string(action)),
            ]
            let keys = PanelUser.marzbanActionKeys[action] ?? ["user"]
            if keys.contains("by") {
                members.append(JSONMember("by", PanelUser.marzbanAdminJSON(PanelUser.synthesizedAdmin())))
                members.append(JSONMember(Self.synthesizedMarker, ["by"]))
            }
            members.append(JSONMember("user", event.data))
        }
        return .body(JSONWriter.serialize(.object(members), style: .python))
    }

    public func request(for outgoing: OutgoingRequest) -> PreparedRequest {
        let adminName = outgoing.options["marzban_admin"]?.stringValue
        var writer = JSONWriter(style: .python)
        writer.writeRaw("[".utf8)
        for (i, item) in outgoing.items.enumerated() {
            if i > 0 { writer.writeSeparator(UInt8(ascii: ",")) }
            let element = (try? JSONParser.parse(item.body)) ?? .object([])
            writer.write(Self.insertingTries(item.previousAttempts, into: Self.namingAdmin(adminName, in: element)))
        }
        writer.writeRaw("]".utf8)
        let body = writer.bytes
        var headers: [(String, String)] = []
        if !outgoing.secret.isEmpty {
            let hmac = outgoing.options["hmac_signature"]?.boolValue == true
            headers.append(("x-webhook-secret", hmac ? HMACSignature.hex(secret: outgoing.secret, message: body) : outgoing.secret))
        }
        return PreparedRequest(url: outgoing.endpointURL, headers: headers, body: body)
    }

    /// Removes the marker and, when the endpoint names its admin, puts that name where an admin was made up.
    static func namingAdmin(_ name: String?, in element: JSONValue) -> JSONValue {
        guard case .object(var members) = element, let index = members.firstIndex(where: { $0.key == synthesizedMarker })
        else { return element }
        let paths = members.remove(at: index).value.arrayValue?.compactMap(\.stringValue) ?? []
        var out = JSONValue.object(members)
        guard let name else { return out }
        if paths.contains("by"), let by = out["by"] { out = out.setting("by", to: by.setting("username", to: .string(name))) }
        if paths.contains("user.admin"), let user = out["user"], let admin = user["admin"] {
            out = out.setting("user", to: user.setting("admin", to: admin.setting("username", to: .string(name))))
        }
        return out
    }

    /// `tries` goes right after `enqueued_at`/`send_at`, where the panel's model has it.
    static func insertingTries(_ tries: Int, into element: JSONValue) -> JSONValue {
        guard case .object(var members) = element else { return element }
        members.removeAll { $0.key == "tries" }
        let anchor = members.lastIndex { $0.key == "send_at" || $0.key == "enqueued_at" } ?? (members.count - 1)
        members.insert(JSONMember("tries", .int(tries)), at: min(anchor + 1, members.count))
        return .object(members)
    }

    public func batchInterval(options: JSONValue) -> Duration? {
        // Options are checked on write (1 to 3600), but rows written by older versions or by hand
        // are read back too; clamping keeps the flush schedule sane for them.
        .seconds(min(max(options["batch_interval_seconds"]?.intValue ?? Self.defaultInterval, 1), 3600))
    }

    public func problem(withOptions options: JSONValue) -> String? {
        if let value = options["batch_interval_seconds"], !(value.intValue.map { (1...3600).contains($0) } ?? false) {
            return "options.batch_interval_seconds must be a whole number of seconds from 1 to 3600"
        }
        if let value = options["hmac_signature"], value.boolValue == nil {
            return "options.hmac_signature must be true or false"
        }
        if let value = options["marzban_admin"] {
            guard let text = value.stringValue, (1...64).contains(text.count) else {
                return "options.marzban_admin must be an admin name of 1 to 64 characters"
            }
        }
        return nil
    }

    public func problem(withSecret secret: String) -> String? {
        secret.isEmpty ? nil : SecretGenerator.headerSafetyProblem(secret)
    }
}
