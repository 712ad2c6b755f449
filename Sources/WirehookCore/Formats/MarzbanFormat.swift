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

    /// Stores one element without `tries`, which is added per send.
    public func render(_ event: Event) -> Rendering {
        guard let entry = catalog.entry(event.type), let action = entry.names.marzban else {
            return .skip(reason: "Marzban has no action for '\(event.type)'")
        }
        var members: [JSONMember] = [
            JSONMember("username", .string(DialectFields.username(of: event))),
            JSONMember("action", .string(action)),
            JSONMember("enqueued_at", .number(PythonNumber.formatFloat(event.occurredAt.timeIntervalSince1970))),
            JSONMember("send_at", .number(PythonNumber.formatFloat(event.occurredAt.timeIntervalSince1970))),
        ]
        if event.source == "marzban", case .object(let fields) = event.data {
            // Came from Marzban: the element's own fields, in their order.
            members += fields.filter { $0.key != "username" }
        } else {
            members.append(JSONMember("user", event.data))
        }
        return .body(JSONWriter.serialize(.object(members), style: .python))
    }

    public func request(for outgoing: OutgoingRequest) -> PreparedRequest {
        var writer = JSONWriter(style: .python)
        writer.writeRaw("[".utf8)
        for (i, item) in outgoing.items.enumerated() {
            if i > 0 { writer.writeSeparator(UInt8(ascii: ",")) }
            let element = (try? JSONParser.parse(item.body)) ?? .object([])
            writer.write(Self.insertingTries(item.previousAttempts, into: element))
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
        return nil
    }

    public func problem(withSecret secret: String) -> String? {
        secret.isEmpty ? nil : SecretGenerator.headerSafetyProblem(secret)
    }
}
