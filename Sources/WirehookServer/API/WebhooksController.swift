import Foundation
import Hummingbird
import WirehookCore

/// The management API: `/webhooks`, `/webhooks/:id`, its deliveries, stats and test sends.
struct WebhooksController<Context: RequestContext> {
    let store: any WebhookStore
    let formats: FormatRegistry
    let catalog: EventCatalog
    /// The SSRF guard; endpoints whose URL names a blocked address literally are refused here.
    let targets: TargetPolicy
    let ingest: IngestQueue
    let time: TimeSource
    let bodies: BodyReader
    /// How long `/test` waits for the attempt before answering with the pending delivery.
    let testWait: Duration

    /// Reads, for keys with `webhooks:read`: secrets come back masked.
    func addReadRoutes(to router: some RouterMethods<Context>) {
        router.get("/webhooks") { request, _ in try await list(request) }
        router.get("/webhooks/:id") { _, context in try await show(try context.parameters.require("id")) }
        router.get("/webhooks/:id/stats") { _, context in try await stats(try context.parameters.require("id")) }
        router.get("/webhooks/:id/deliveries") { request, context in
            try await deliveries(try context.parameters.require("id"), request)
        }
        router.get("/webhooks/:id/deliveries/:delivery_id") { _, context in
            try await delivery(try context.parameters.require("id"), try context.parameters.require("delivery_id"))
        }
    }

    /// Writes, for keys with `webhooks:write`; creating an endpoint answers with its secret.
    func addWriteRoutes(to router: some RouterMethods<Context>) {
        router.post("/webhooks") { request, _ in try await create(request) }
        router.put("/webhooks/:id") { request, context in try await update(try context.parameters.require("id"), request) }
        router.patch("/webhooks/:id") { request, context in
            try await update(try context.parameters.require("id"), request)
        }
        router.delete("/webhooks/:id") { _, context in try await delete(try context.parameters.require("id")) }
        router.post("/webhooks/:id/test") { request, context in
            try await test(try context.parameters.require("id"), request)
        }
    }

    func list(_ request: Request) async throws -> Response {
        var endpoints = try await store.endpoints()
        if let text = request.uri.queryParameters.get("health"), !text.isEmpty {
            guard let state = EndpointHealth.State(rawValue: String(text)) else {
                throw WirehookError.invalid(
                    "'health' must be one of \(EndpointHealth.State.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            endpoints = endpoints.filter { $0.visibleHealth.state == state }
        }
        let now = time.now()
        var items: [JSONValue] = []
        for endpoint in endpoints {
            items.append(WebhookPresenter.webhook(endpoint, stats: try await store.stats(endpointID: endpoint.id, now: now)))
        }
        return JSONResponse.make(.ok, ["success": true, "webhooks": .array(items), "total": .int(items.count)])
    }

    func create(_ request: Request) async throws -> Response {
        let endpoint = try await create(Fields(try await bodies.json(request).value))
        return JSONResponse.make(
            .created,
            ["success": true, "webhook": WebhookPresenter.webhook(endpoint, stats: DeliveryStats(), revealSecret: true)])
    }

    /// Creates an endpoint from the API's fields; the dashboard's form comes here too, so both
    /// follow the same rules with the same messages.
    func create(_ fields: Fields) async throws -> Endpoint {
        guard let url = try fields.string("url", maxLength: EndpointRules.maxURLLength + 1) else {
            throw WirehookError.invalid("'url' is required")
        }
        guard let events = try fields.stringArray("events") else {
            throw WirehookError.invalid("'events' is required: a list of event types, '*' or 'scope.*'")
        }
        let formatName = try fields.string("format") ?? "standard"
        guard let format = formats[formatName] else {
            throw WirehookError.invalid(
                "unknown format '\(formatName)'; one of: \(formats.names.joined(separator: ", "))")
        }
        let secret = try fields.string("secret", maxLength: 1024) ?? format.generateSecret()
        let now = time.now()
        var endpoint = Endpoint(
            id: Identifier.make(prefix: "wh_", at: now), url: url, events: events,
            description: try fields.string("description", maxLength: EndpointRules.maxDescriptionLength) ?? "",
            active: try activeFlag(fields) ?? true, format: formatName, secret: secret, createdAt: now,
            updatedAt: now, options: try options(fields))
        try validate(&endpoint, format: format)
        try await store.insertEndpoint(endpoint)
        return endpoint
    }

    func show(_ id: String) async throws -> Response {
        let endpoint = try await require(id)
        let stats = try await store.stats(endpointID: id, now: time.now())
        return JSONResponse.make(.ok, ["success": true, "webhook": WebhookPresenter.webhook(endpoint, stats: stats)])
    }

    func update(_ id: String, _ request: Request) async throws -> Response {
        let (endpoint, revealSecret) = try await update(id, Fields(try await bodies.json(request).value))
        let stats = try await store.stats(endpointID: id, now: time.now())
        return JSONResponse.make(
            .ok,
            ["success": true, "webhook": WebhookPresenter.webhook(endpoint, stats: stats, revealSecret: revealSecret)])
    }

    /// Changes the fields present; re-enabling resumes what waited. True when a secret was set.
    func update(_ id: String, _ fields: Fields) async throws -> (Endpoint, revealSecret: Bool) {
        var endpoint = try await require(id)
        let wasActive = endpoint.active
        if let url = try fields.string("url", maxLength: EndpointRules.maxURLLength + 1) { endpoint.url = url }
        if let events = try fields.stringArray("events") { endpoint.events = events }
        if let description = try fields.string("description", maxLength: EndpointRules.maxDescriptionLength) {
            endpoint.description = description
        }
        if let active = try activeFlag(fields) { endpoint.active = active }
        if let formatName = try fields.string("format") { endpoint.format = formatName }
        guard let format = formats[endpoint.format] else {
            throw WirehookError.invalid(
                "unknown format '\(endpoint.format)'; one of: \(formats.names.joined(separator: ", "))")
        }
        var revealSecret = false
        if let secret = try fields.string("secret", maxLength: 1024) {
            endpoint.secret = secret
            revealSecret = true
        }
        if fields.has("options") { endpoint.options = try options(fields) }
        endpoint.updatedAt = time.now()
        try validate(&endpoint, format: format)
        try await store.updateEndpoint(endpoint)
        if endpoint.active, !wasActive {
            // Enabled again: a fresh start, and what waited goes out now, oldest first.
            try await store.resume(endpointID: id, at: endpoint.updatedAt)
            endpoint.health = .reset(at: endpoint.updatedAt)
        }
        return (endpoint, revealSecret)
    }

    func delete(_ id: String) async throws -> Response {
        try await deleteEndpoint(id)
        return JSONResponse.make(
            .ok, ["success": true, "message": "Webhook deleted successfully", "webhook_id": .string(id)])
    }

    func deleteEndpoint(_ id: String) async throws {
        guard try await store.deleteEndpoint(id: id) else { throw WirehookError.notFound("no webhook with id '\(id)'") }
    }

    func stats(_ id: String) async throws -> Response {
        _ = try await require(id)
        let stats = try await store.stats(endpointID: id, now: time.now())
        return JSONResponse.make(
            .ok, ["success": true, "webhook_id": .string(id), "delivery_stats": WebhookPresenter.deliveryStats(stats)])
    }

    func deliveries(_ id: String, _ request: Request) async throws -> Response {
        _ = try await require(id)
        let page = try await deliveryPage(id, request.uri.queryParameters)
        let next: JSONValue = page.hasMore ? (page.deliveries.last.map { .string(DeliveryCursor.encode($0.sequence)) } ?? .null) : .null
        return JSONResponse.make(
            .ok,
            [
                "success": true,
                "deliveries": .array(page.deliveries.map(WebhookPresenter.delivery)),
                "total": .int(page.total),
                "has_more": .bool(page.hasMore),
                "next_cursor": next,
            ])
    }

    /// A page of the log by the query's `limit`, `cursor`, `status` and `event_type`.
    func deliveryPage(_ id: String, _ query: Parameters) async throws -> DeliveryPage {
        var limit = 50
        if let text = query.get("limit") {
            guard let value = Int(text), (1...500).contains(value) else {
                throw WirehookError.invalid("'limit' must be a whole number from 1 to 500")
            }
            limit = value
        }
        var before: Int64? = nil
        if let cursor = query.get("cursor"), !cursor.isEmpty {
            guard let value = DeliveryCursor.decode(cursor) else {
                throw WirehookError.invalid("'cursor' is not a cursor returned by this API")
            }
            before = value
        }
        var status: Delivery.Status? = nil
        if let text = query.get("status"), !text.isEmpty {
            guard let value = Delivery.Status(rawValue: text) else {
                throw WirehookError.invalid("'status' must be one of pending, success, failed, skipped")
            }
            status = value
        }
        var eventType: String? = nil
        if let text = query.get("event_type"), !text.isEmpty {
            guard text.utf8.count <= 200, EventType.isValid(text) else {
                throw WirehookError.invalid("'event_type' is not a valid event type")
            }
            // Any dialect's spelling finds the deliveries, which are stored under canonical names.
            eventType = catalog.resolve(text)?.name ?? text
        }
        return try await store.deliveries(
            DeliveryQuery(endpointID: id, limit: limit, before: before, status: status, eventType: eventType))
    }

    func delivery(_ id: String, _ deliveryID: String) async throws -> Response {
        guard let (delivery, attempts) = try await store.delivery(endpointID: id, id: deliveryID) else {
            throw WirehookError.notFound("no delivery '\(deliveryID)' for webhook '\(id)'")
        }
        guard case .object(var members) = WebhookPresenter.delivery(delivery) else { preconditionFailure() }
        members.append(
            JSONMember(
                "attempt_log",
                .array(attempts.enumerated().map { WebhookPresenter.attempt($0.element, number: $0.offset + 1) })))
        return JSONResponse.make(.ok, ["success": true, "delivery": .object(members)])
    }

    func test(_ id: String, _ request: Request) async throws -> Response {
        let (body, bytes) = try await bodies.json(request, allowEmpty: true)
        let sent = try await sendTest(id, Fields(body), bytes: bytes)
        return JSONResponse.make(
            sent.finished ? .ok : .accepted,
            [
                "success": true, "event": ["id": .string(sent.eventID), "type": .string(sent.eventType)],
                "delivery": WebhookPresenter.delivery(sent.delivery),
            ])
    }

    /// A test event to this endpoint alone; waits briefly for the first attempt.
    func sendTest(_ id: String, _ fields: Fields, bytes: Int) async throws
        -> (eventID: String, eventType: String, delivery: Delivery, finished: Bool)
    {
        let endpoint = try await require(id)
        let type = try fields.string("event_type", maxLength: 200) ?? "webhook.test"
        guard EventType.isValid(type) else { throw WirehookError.invalid("'event_type' is not a valid event type") }
        let canonicalType = catalog.resolve(type)?.name ?? type
        let now = time.now()
        var data: JSONValue = ["test": true, "timestamp": .string(Timestamp.iso8601(now))]
        if let custom = fields.value("custom_data"), !custom.isNull {
            guard case .object = custom else { throw WirehookError.invalid("'custom_data' must be a JSON object") }
            if let problem = EventDataRules.problem(in: custom, path: "custom_data") {
                throw WirehookError.invalid(problem)
            }
            data = custom
        }
        let event = Event(
            id: Identifier.make(prefix: "evt_", at: now), type: canonicalType, occurredAt: now, data: data, source: "test")
        let outcome = try await ingest.submit(
            [NewEvent(event: event, callerSuppliedID: false, onlyEndpointID: endpoint.id)], bytes: bytes)
        guard let deliveryID = outcome.first?.deliveryIDs.first else {
            // The fan-out reads the endpoints inside the commit: one deleted after the lookup
            // above is gone by then, and nothing was sent to it.
            throw WirehookError.notFound("no webhook with id '\(id.prefix(100))'; it was deleted while the test was sent")
        }
        // Wait briefly so the admin sees the receiver's answer; a slow receiver gets a 202.
        let deadline = ContinuousClock.now + testWait
        var latest = try await store.delivery(id: deliveryID)
        while let current = latest, current.status == .pending, current.attempts == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            latest = try await store.delivery(id: deliveryID)
        }
        guard let delivery = latest else { throw WirehookError.notFound("the test delivery disappeared") }
        let finished = delivery.attempts > 0 || delivery.status != .pending
        return (event.id, canonicalType, delivery, finished)
    }

    // MARK: Helpers

    func require(_ id: String) async throws -> Endpoint { try await store.requireEndpoint(id) }

    func activeFlag(_ fields: Fields) throws -> Bool? {
        let active = try fields.bool("active")
        var fromStatus: Bool? = nil
        if let status = try fields.string("status", maxLength: 20) {
            switch status {
            case "active": fromStatus = true
            case "disabled", "inactive": fromStatus = false
            default: throw WirehookError.invalid("'status' must be 'active' or 'disabled'")
            }
        }
        if let active, let fromStatus, active != fromStatus {
            throw WirehookError.invalid("'active' and 'status' disagree; send one of them")
        }
        return active ?? fromStatus
    }

    func options(_ fields: Fields) throws -> JSONValue {
        guard let value = fields.value("options"), !value.isNull else { return .object([]) }
        guard case .object(let members) = value else { throw WirehookError.invalid("'options' must be a JSON object") }
        guard members.count <= 32, JSONWriter.serialize(value).count <= 8192 else {
            throw WirehookError.invalid("'options' is too large")
        }
        if let flag = value["allow_custom_types"], flag.boolValue == nil {
            throw WirehookError.invalid("options.allow_custom_types must be true or false")
        }
        // Read by the worker for every format, so checked here rather than by each format.
        if let timeout = value["timeout_seconds"] {
            guard let seconds = timeout.doubleValue, seconds.isFinite, (1...60).contains(seconds) else {
                throw WirehookError.invalid("options.timeout_seconds must be a number of seconds from 1 to 60")
            }
        }
        return value
    }

    func validate(_ endpoint: inout Endpoint, format: any WebhookFormat) throws {
        if let problem = EndpointRules.urlProblem(endpoint.url) { throw WirehookError.invalid(problem) }
        // Names are checked at delivery time, on the addresses they resolve to then.
        if let refusal = targets.literalRefusal(url: endpoint.url) { throw WirehookError.invalid("url: \(refusal)") }
        let allowCustom = endpoint.options["allow_custom_types"]?.boolValue == true
        if let problem = EndpointRules.eventsProblem(endpoint.events, allowCustom: allowCustom, catalog: catalog) {
            throw WirehookError.invalid(problem)
        }
        endpoint.events = EndpointRules.canonicalEvents(endpoint.events, catalog: catalog)
        if let problem = format.problem(withSecret: endpoint.secret) {
            throw WirehookError.invalid("secret: \(problem)")
        }
        if let problem = format.problem(withOptions: endpoint.options) { throw WirehookError.invalid(problem) }
    }
}

/// Opaque page cursors for the delivery log.
enum DeliveryCursor {
    static func encode(_ sequence: Int64) -> String { "c\(sequence)" }

    static func decode(_ cursor: String) -> Int64? {
        guard cursor.hasPrefix("c"), let value = Int64(cursor.dropFirst()), value > 0 else { return nil }
        return value
    }
}
