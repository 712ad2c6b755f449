import struct Foundation.Date

/// Turns what a panel posts into canonical events, accepting every envelope shape in the seeds.
///
/// Panel events get an id derived from their content, so the panels' own retries (Remnawave's
/// three, Marzban's re-sends with a higher `tries`) are accepted once.
public struct PanelNormalizer: Sendable {
    public let catalog: EventCatalog

    public init(catalog: EventCatalog = .standard) { self.catalog = catalog }

    /// `{"scope","event","timestamp","data","meta"?}` since 2.5.0, `{"event","timestamp","data"}` before.
    public func remnawave(_ body: JSONValue, raw: [UInt8], now: Date) throws(WirehookError) -> Event {
        guard case .object = body else { throw .invalid("a Remnawave webhook body is a JSON object") }
        try Self.checkNumbers(body, path: "body")
        guard let name = body["event"]?.stringValue, EventType.isValid(name) else {
            throw .invalid("'event' must be a Remnawave event name such as user.created")
        }
        guard let data = body["data"] else { throw .invalid("'data' is required") }
        let occurredAt = body["timestamp"]?.stringValue.flatMap(Timestamp.parse) ?? now
        var attributes: [JSONMember] = []
        if let meta = body["meta"] { attributes.append(JSONMember("meta", meta)) }
        if let scope = body["scope"]?.stringValue { attributes.append(JSONMember("scope", .string(scope))) }
        let type = catalog.fromRemnawave(name)?.name ?? name
        let event = Event(
            id: "rw_" + Self.digest(raw), type: type, occurredAt: occurredAt, data: data, source: "remnawave",
            attributes: .object(attributes))
        // A user event is translated for other panels' receivers: a field it cannot read is refused now, by name.
        _ = try PanelTranslator.read(event)
        return event
    }

    /// How long a Marzban notification's content-derived id is remembered. Marzban has no event
    /// id, and its `enqueued_at` is the panel process's start time (a class default evaluated
    /// once), so two genuine events with the same content share an id. The panel re-sends a
    /// failed batch at most three times, 180 s apart: 15 minutes absorbs those retries without
    /// merging a genuine repeat that comes later.
    public static let marzbanIdempotencyWindow: Duration = .seconds(15 * 60)

    /// Why a signed Remnawave body is refused as a possible replay, or nil when it is fresh.
    ///
    /// The `X-Remnawave-Timestamp` header is not covered by the signature, so only the body's own
    /// `timestamp` proves when the panel sent it; a captured request replayed later carries the
    /// old one. Bodies without a timestamp pass (Remnawave always sends one, so a captured body
    /// has it); the idempotency window absorbs the panel's own quick retries.
    public static func remnawaveReplayProblem(_ body: JSONValue, now: Date, tolerance: Duration) -> String? {
        guard let field = body["timestamp"], !field.isNull else { return nil }
        guard let text = field.stringValue, let sent = Timestamp.parse(text) else {
            return "the signed body's 'timestamp' is not an ISO 8601 time, so its age cannot be checked"
        }
        let age = now.timeIntervalSince(sent)
        let limit = tolerance.timeInterval
        let setting = "WIREHOOK_SOURCE_TOLERANCE, now \(DurationText.format(tolerance))"
        if age > limit {
            return "the signed body's timestamp \(text) is older than the replay window (\(setting)): "
                + "a replayed request, or the panel's clock is wrong"
        }
        if -age > limit {
            return "the signed body's timestamp \(text) is further ahead than the replay window allows (\(setting)): "
                + "check the panel's clock"
        }
        return nil
    }

    /// Marzban posts an array of notifications (a single object is accepted too).
    public func marzban(_ body: JSONValue, now: Date) throws(WirehookError) -> [Event] {
        let elements: [JSONValue]
        switch body {
        case .array(let list): elements = list
        case .object: elements = [body]
        default: throw .invalid("a Marzban webhook body is a JSON array of notifications")
        }
        guard elements.count <= 1000 else { throw .invalid("at most 1000 notifications per request") }
        var events: [Event] = []
        for (index, element) in elements.enumerated() {
            guard case .object(let members) = element else { throw .invalid("notification \(index) is not an object") }
            try Self.checkNumbers(element, path: "notification \(index)")
            guard let action = element["action"]?.stringValue, EventType.isValid(action) else {
                throw .invalid("notification \(index) has no valid 'action'")
            }
            let enqueued = element["enqueued_at"]?.doubleValue
            if let enqueued, !Timestamp.validSeconds.contains(enqueued) {
                throw .invalid("notification \(index) has an 'enqueued_at' that is not a Unix time")
            }
            // `enqueued_at` is when the panel process started, not when this happened (see above).
            let occurredAt = now
            // The envelope fields are Marzban's queue bookkeeping; everything else is the event's data.
            let envelope: Set<String> = ["action", "enqueued_at", "send_at", "tries"]
            let data = JSONValue.object(members.filter { !envelope.contains($0.key) })
            var identity = JSONWriter.serialize(data)
            identity += Array("|\(action)|\(element["enqueued_at"].map { JSONWriter.string($0) } ?? "")".utf8)
            // The panel's own times, kept so a Marzban receiver gets them back unchanged.
            var attributes: [JSONMember] = [JSONMember("action", .string(action))]
            for key in ["enqueued_at", "send_at"] {
                if let value = element[key], case .number = value { attributes.append(JSONMember(key, value)) }
            }
            let event = Event(
                id: "mz_" + Self.digest(identity), type: catalog.fromMarzban(action)?.name ?? action,
                occurredAt: occurredAt, data: data, source: "marzban", attributes: .object(attributes))
            do {
                _ = try PanelTranslator.read(event)
            } catch {
                throw .invalid("notification \(index): \(error.message)")
            }
            events.append(event)
        }
        return events
    }

    /// `{"event","entity","identifier","payload"}`; the older connect shape (entity `peer`,
    /// flat status with `PeerId`) becomes the current `{"Status","Peer"}` one.
    public func wgPortal(_ body: JSONValue, raw: [UInt8], now: Date) throws(WirehookError) -> Event {
        guard case .object = body else { throw .invalid("a wg-portal webhook body is a JSON object") }
        try Self.checkNumbers(body, path: "body")
        guard let event = body["event"]?.stringValue, let entity = body["entity"]?.stringValue else {
            throw .invalid("'event' and 'entity' are required")
        }
        var payload = body["payload"] ?? .object([])
        var entityName = entity
        if entity == "peer", event == "connect" || event == "disconnect", case .object(let members) = payload {
            let peerID = payload["PeerId"] ?? body["identifier"] ?? .null
            payload = [
                "Status": .object(members.filter { $0.key != "PeerId" }),
                "Peer": ["Identifier": peerID],
            ]
            entityName = "peer_metric"
        }
        let type: String
        if let entry = catalog.fromWGPortal(event: event, entity: entityName) {
            type = entry.name
        } else {
            let custom = "\(entity).\(event)"
            guard EventType.isValid(custom) else { throw .invalid("'event' and 'entity' must be plain names") }
            type = custom
        }
        var attributes: [JSONMember] = [JSONMember("entity", .string(entity))]
        if let identifier = body["identifier"]?.stringValue {
            attributes.append(JSONMember("identifier", .string(identifier)))
        }
        let normalized = Event(
            // wg-portal's body carries no id or time, so two identical bodies are two real events
            // (a peer connecting twice); a fresh id keeps them apart.
            id: Identifier.make(prefix: "wg_", at: now), type: type, occurredAt: now, data: payload, source: "wg-portal",
            attributes: .object(attributes))
        _ = try PanelTranslator.read(normalized)
        return normalized
    }

    /// Panels cannot produce numbers beyond a double, so one that arrives is refused as it would be
    /// on `POST /events` (see `EventDataRules`).
    static func checkNumbers(_ value: JSONValue, path: String) throws(WirehookError) {
        if let problem = EventDataRules.problem(in: value, path: path) { throw .invalid(problem) }
    }

    static func digest(_ bytes: [UInt8]) -> String { String(HashID.of(bytes).prefix(32)) }
}
