import Foundation
import Hummingbird
import WirehookCore
import WirehookDelivery

/// Putting things right after an outage or a leak: send deliveries again, redeliver an event,
/// rotate a secret with a grace period.
struct RepairController<Context: RequestContext> {
    let store: any WebhookStore
    let formats: FormatRegistry
    let ingest: IngestQueue
    let signal: WorkSignal
    let time: TimeSource
    let bodies: BodyReader

    /// A rotated-out secret signs for at most this long.
    static var maxGrace: Duration { .seconds(7 * 86_400) }
    static var defaultGrace: Duration { .seconds(86_400) }

    func addRoutes(to router: some RouterMethods<Context>) {
        router.post("/webhooks/:id/deliveries/:delivery_id/retry") { _, context in
            try await retry(try context.parameters.require("id"), try context.parameters.require("delivery_id"))
        }
        router.post("/webhooks/:id/recover") { request, context in
            try await recover(try context.parameters.require("id"), request)
        }
        router.post("/webhooks/:id/rotate-secret") { request, context in
            try await rotate(try context.parameters.require("id"), request)
        }
        router.post("/events/:id/redeliver") { _, context in try await redeliver(try context.parameters.require("id")) }
    }

    /// One delivery, whatever its status (a receiver may have lost a successful one), now.
    func retry(_ endpointID: String, _ deliveryID: String) async throws -> Response {
        let queued = try await retryDelivery(endpointID, deliveryID)
        return JSONResponse.make(
            .accepted, ["success": true, "delivery": queued.map(WebhookPresenter.delivery) ?? .null])
    }

    /// Queues the delivery now; the API and the dashboard's retry button share this.
    func retryDelivery(_ endpointID: String, _ deliveryID: String) async throws -> Delivery? {
        guard let (delivery, _) = try await store.delivery(endpointID: endpointID, id: deliveryID) else {
            throw WirehookError.notFound("no delivery '\(deliveryID.prefix(100))' for webhook '\(endpointID.prefix(100))'")
        }
        guard delivery.status != .skipped else {
            throw WirehookError.invalid("delivery '\(deliveryID)' was skipped: its format has no body for this event")
        }
        let now = time.now()
        let count = try await store.requeue(Requeue(endpointID: endpointID, deliveryID: deliveryID, now: now))
        guard count == 1 else {
            throw WirehookError(.conflict, "delivery '\(deliveryID)' is being attempted right now; retry when it finishes")
        }
        signal.notify()
        return try await store.delivery(id: deliveryID)
    }

    /// Every matching delivery of the endpoint in one statement: by default the failed ones.
    func recover(_ endpointID: String, _ request: Request) async throws -> Response {
        let count = try await recover(endpointID, Fields(try await bodies.json(request).value))
        return JSONResponse.make(.accepted, ["success": true, "webhook_id": .string(endpointID), "recovered": .int(count)])
    }

    /// Requeues the endpoint's deliveries matching `since`, `until` and `status`; how many.
    func recover(_ endpointID: String, _ fields: Fields) async throws -> Int {
        let endpoint = try await require(endpointID)
        guard let sinceText = try fields.string("since", maxLength: 40) else {
            throw WirehookError.invalid("'since' is required: an ISO 8601 time such as 2026-11-28T10:00:00Z")
        }
        guard let since = Timestamp.parse(sinceText) else {
            throw WirehookError.invalid("'since' must be an ISO 8601 time such as 2026-11-28T10:00:00Z")
        }
        var until: Date? = nil
        if let text = try fields.string("until", maxLength: 40) {
            guard let parsed = Timestamp.parse(text) else {
                throw WirehookError.invalid("'until' must be an ISO 8601 time such as 2026-11-28T12:00:00Z")
            }
            guard parsed > since else { throw WirehookError.invalid("'until' must be after 'since'") }
            until = parsed
        }
        var status: Delivery.Status? = .failed
        if let text = try fields.string("status", maxLength: 20) {
            switch text {
            case "failed": status = .failed
            case "success": status = .success
            case "any": status = nil
            default: throw WirehookError.invalid("'status' must be failed, success or any")
            }
        }
        let count = try await store.requeue(
            Requeue(endpointID: endpoint.id, since: since, until: until, status: status, now: time.now()))
        if count > 0 { signal.notify() }
        return count
    }

    /// The stored event again, to every endpoint subscribed to it now.
    func redeliver(_ eventID: String) async throws -> Response {
        guard eventID.utf8.count <= Event.maxIDLength, let event = try await store.event(id: eventID) else {
            throw WirehookError.notFound("no stored event with id '\(eventID.prefix(Event.maxIDLength))'")
        }
        let outcome = try await ingest.submit(
            [NewEvent(event: event, callerSuppliedID: true, redelivery: true)],
            bytes: JSONWriter.serialize(event.data).count)
        return JSONResponse.make(
            .accepted,
            [
                "success": true, "event": ["id": .string(event.id), "type": .string(event.type)],
                "deliveries": .int(outcome.first?.deliveries ?? 0),
            ])
    }

    /// A new secret at once; the old one keeps signing, where the dialect carries several
    /// signatures, until the grace period ends.
    func rotate(_ endpointID: String, _ request: Request) async throws -> Response {
        let (endpoint, keepOld) = try await rotate(endpointID, Fields(try await bodies.json(request, allowEmpty: true).value))
        let stats = try await store.stats(endpointID: endpoint.id, now: time.now())
        return JSONResponse.make(
            .ok,
            [
                "success": true,
                "webhook": WebhookPresenter.webhook(endpoint, stats: stats, revealSecret: true),
                "previous_secret_expires_at": .timestamp(endpoint.previousSecretExpiresAt),
                "note": .string(Self.rotationNote(endpoint, keepOld: keepOld)),
            ])
    }

    static func rotationNote(_ endpoint: Endpoint, keepOld: Bool) -> String {
        keepOld
            ? "deliveries carry a signature for each secret until the old one expires"
            : "the '\(endpoint.format)' format carries one signature: the new secret signs from now on"
    }

    /// Sets a new secret (given or generated); true when the old one keeps signing for a while.
    func rotate(_ endpointID: String, _ fields: Fields) async throws -> (Endpoint, keepOld: Bool) {
        var endpoint = try await require(endpointID)
        guard let format = formats[endpoint.format] else {
            throw WirehookError.invalid("unknown format '\(endpoint.format)'")
        }
        var grace = Self.defaultGrace
        if let value = fields.value("grace_seconds"), !value.isNull {
            guard let seconds = value.intValue, (0...Int(Self.maxGrace.components.seconds)).contains(seconds) else {
                throw WirehookError.invalid("'grace_seconds' must be a whole number of seconds from 0 to 604800 (7 days)")
            }
            grace = .seconds(seconds)
        }
        let secret = try fields.string("secret", maxLength: 1024) ?? format.generateSecret()
        if let problem = format.problem(withSecret: secret) { throw WirehookError.invalid("secret: \(problem)") }
        guard secret != endpoint.secret else { throw WirehookError.invalid("'secret' is the current secret") }
        let now = time.now()
        let keepOld = grace > .zero && format.signsWithEverySecret
        endpoint.previousSecret = keepOld ? endpoint.secret : nil
        endpoint.previousSecretExpiresAt = keepOld ? now.addingTimeInterval(grace.timeInterval) : nil
        endpoint.secret = secret
        endpoint.updatedAt = now
        try await store.updateEndpoint(endpoint)
        return (endpoint, keepOld)
    }

    func require(_ id: String) async throws -> Endpoint { try await store.requireEndpoint(id) }
}
