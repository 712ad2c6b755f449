import Foundation
import Hummingbird
import WirehookCore

/// One delivery: its event, what was sent, every attempt, and a retry button.
extension Dashboard {
    func addDeliveryRoutes(to router: some RouterMethods<Context>) {
        router.get(
            "/ui/endpoints/:id/deliveries/:delivery_id",
            use: page(.webhooksRead) { _, context, visit in
                try await delivery(
                    try context.parameters.require("id"), try context.parameters.require("delivery_id"), visit)
            })
        router.post(
            "/ui/endpoints/:id/deliveries/:delivery_id/retry",
            use: action(.webhooksWrite, back: { context in Self.deliveryPath(context) }) { _, context, visit, _ in
                let queued = try await repair.retryDelivery(
                    try context.parameters.require("id"), try context.parameters.require("delivery_id"))
                return try await done(
                    visit, "Delivery queued again" + (queued.map { " (now \($0.status.rawValue))" } ?? ""),
                    then: Self.deliveryPath(context))
            })
    }

    static func deliveryPath(_ context: Context) -> String {
        "/ui/endpoints/\(pathSegment(context.parameters.get("id") ?? ""))/deliveries/"
            + pathSegment(context.parameters.get("delivery_id") ?? "")
    }

    func delivery(_ endpointID: String, _ deliveryID: String, _ visit: Visit) async throws -> Response {
        guard let (delivery, attempts) = try await store.delivery(endpointID: endpointID, id: deliveryID) else {
            throw WirehookError.notFound("no delivery '\(deliveryID.prefix(100))' for webhook '\(endpointID.prefix(100))'")
        }
        let endpoint = try await store.requireEndpoint(endpointID)
        let sent = try await request(for: delivery, endpoint: endpoint)
        let view = DeliveryView(
            prefix: prefix, csrf: visit.session.csrfToken, canWrite: visit.canWrite && delivery.status != .skipped,
            endpointID: endpoint.id, endpointPath: Self.pathSegment(endpoint.id), id: delivery.id,
            path: Self.pathSegment(delivery.id), eventID: delivery.eventID, eventType: delivery.eventType,
            status: delivery.status.rawValue, attemptCount: delivery.attempts, note: delivery.note,
            createdAt: Timestamp.iso8601(delivery.createdAt), nextAttemptAt: delivery.nextAttemptAt.map(Timestamp.iso8601),
            eventData: JSONWriter.string(delivery.eventData, style: .javascript),
            url: WebhookPresenter.maskedURL(endpoint), headers: sent?.headers ?? [], body: sent?.body,
            skipped: sent == nil,
            attempts: attempts.enumerated().map { AttemptView($0.element, number: $0.offset + 1) },
            noAttempts: attempts.isEmpty)
        return await render("delivery", view, title: "Delivery \(delivery.id)", visit: visit, section: "endpoints")
    }

    /// The request as the endpoint's format builds it from the stored event (the same code the
    /// worker runs), with signatures and credentials masked: they are the endpoint's to keep.
    func request(for delivery: Delivery, endpoint: Endpoint) async throws -> (headers: [HeaderView], body: String)? {
        guard let format = formats[endpoint.format], let event = try await store.event(id: delivery.eventID),
            case .body(let body) = format.render(event)
        else { return nil }
        let prepared = format.request(
            for: OutgoingRequest(
                endpointURL: endpoint.url, secret: endpoint.secret, options: endpoint.options,
                items: [
                    OutgoingItem(
                        eventID: event.id, eventType: event.type, occurredAt: event.occurredAt, body: body,
                        previousAttempts: max(0, delivery.attempts - 1))
                ], attemptedAt: delivery.lastAttemptAt ?? time.now()))
        let headers = prepared.headers.map { name, value in
            HeaderView(name: name, value: Self.sensitive(name: name, value: value, endpoint: endpoint) ? "***masked***" : value)
        }
        let text = String(decoding: prepared.body, as: UTF8.self)
        let pretty = (try? JSONParser.parse(prepared.body)).map { JSONWriter.string($0, style: .javascript) } ?? text
        return (headers, pretty)
    }

    static func sensitive(name: String, value: String, endpoint: Endpoint) -> Bool {
        let lower = name.lowercased()
        let words = ["signature", "authorization", "token", "secret", "key", "password", "cookie"]
        return words.contains { lower.contains($0) } || (!endpoint.secret.isEmpty && value.contains(endpoint.secret))
    }
}
