import Foundation
import Hummingbird
import WirehookCore

/// The endpoint list, one endpoint's page and the actions on it.
extension Dashboard {
    func addEndpointRoutes(to router: some RouterMethods<Context>) {
        router.get("/ui/endpoints", use: page(.webhooksRead) { request, _, visit in try await endpoints(request, visit) })
        router.get(
            "/ui/endpoints/:id",
            use: page(.webhooksRead) { request, context, visit in
                try await endpoint(try context.parameters.require("id"), request, visit, revealSecret: false)
            })
        let back: @Sendable (Context) -> String = { context in
            "/ui/endpoints/\(Self.pathSegment(context.parameters.get("id") ?? ""))"
        }
        // Revealing is a post: the secret is shown once, in the answer, never in a URL or a cache.
        router.post(
            "/ui/endpoints/:id/reveal-secret",
            use: action(.webhooksWrite, back: back) { request, context, visit, _ in
                try await endpoint(try context.parameters.require("id"), request, visit, revealSecret: true)
            })
        router.post(
            "/ui/endpoints/:id/test",
            use: action(.webhooksWrite, back: back) { _, context, visit, form in
                let id = try context.parameters.require("id")
                var fields: [JSONMember] = []
                if let type = form.trimmed("event_type") { fields.append(JSONMember("event_type", .string(type))) }
                let sent = try await webhooks.sendTest(id, Fields(.object(fields)), bytes: 0)
                let outcome =
                    sent.finished
                    ? "Test event \(sent.eventType) sent: delivery \(sent.delivery.status.rawValue)"
                        + (sent.delivery.responseStatus.map { " (HTTP \($0))" } ?? "")
                    : "Test event \(sent.eventType) queued; the receiver has not answered yet"
                return try await done(visit, outcome, then: back(context))
            })
        for (name, active) in [("enable", true), ("disable", false)] {
            router.post(
                "/ui/endpoints/:id/\(name)",
                use: action(.webhooksWrite, back: back) { _, context, visit, _ in
                    let id = try context.parameters.require("id")
                    _ = try await webhooks.update(id, Fields(["active": .bool(active)]))
                    return try await done(visit, active ? "Endpoint enabled" : "Endpoint disabled", then: back(context))
                })
        }
        router.post(
            "/ui/endpoints/:id/rotate-secret",
            use: action(.webhooksWrite, back: back) { _, context, visit, form in
                let id = try context.parameters.require("id")
                var fields: [JSONMember] = []
                if let grace = form.trimmed("grace_hours") {
                    // Hours in the form, seconds in the API: the API's own check bounds the result.
                    guard let hours = Int(grace), hours >= 0, hours <= 24 * 7 else {
                        throw WirehookError.invalid("'grace_seconds' must be a whole number of seconds from 0 to 604800 (7 days)")
                    }
                    fields.append(JSONMember("grace_seconds", .int(hours * 3600)))
                }
                let (endpoint, keepOld) = try await repair.rotate(id, Fields(.object(fields)))
                return try await done(
                    visit, "Secret rotated: \(RepairController<Context>.rotationNote(endpoint, keepOld: keepOld)). Reveal the secret to copy it.",
                    then: back(context))
            })
        router.post(
            "/ui/endpoints/:id/recover",
            use: action(.webhooksWrite, back: back) { _, context, visit, form in
                let id = try context.parameters.require("id")
                var fields: [JSONMember] = []
                if let since = form.trimmed("since") { fields.append(JSONMember("since", .string(Self.isoTime(since)))) }
                if let status = form.trimmed("status") { fields.append(JSONMember("status", .string(status))) }
                let count = try await repair.recover(id, Fields(.object(fields)))
                return try await done(
                    visit, count == 1 ? "1 delivery queued again" : "\(count) deliveries queued again",
                    then: back(context))
            })
        router.get(
            "/ui/endpoints/:id/delete",
            use: page(.webhooksWrite) { _, context, visit in
                let endpoint = try await store.requireEndpoint(try context.parameters.require("id"))
                return await render(
                    "delete", DeleteView(prefix: prefix, csrf: visit.session.csrfToken, id: endpoint.id, url: WebhookPresenter.maskedURL(endpoint)),
                    title: "Delete endpoint", visit: visit, section: "endpoints")
            })
        router.post(
            "/ui/endpoints/:id/delete",
            use: action(.webhooksWrite, back: back) { _, context, visit, form in
                let id = try context.parameters.require("id")
                guard form["confirm"] == id else {
                    throw WirehookError.invalid("type the endpoint's id to confirm the deletion")
                }
                try await webhooks.deleteEndpoint(id)
                return try await done(visit, "Endpoint \(id) deleted", then: "/ui/endpoints")
            })
    }

    func endpoints(_ request: Request, _ visit: Visit) async throws -> Response {
        var list = try await store.endpoints()
        let filter = request.uri.queryParameters.get("health") ?? ""
        if !filter.isEmpty {
            // The API's own check and message for an unknown state.
            guard let state = EndpointHealth.State(rawValue: filter) else {
                throw WirehookError.invalid(
                    "'health' must be one of \(EndpointHealth.State.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            list = list.filter { $0.visibleHealth.state == state }
        }
        let now = time.now()
        var rows: [EndpointsView.Row] = []
        for endpoint in list {
            let stats = try await store.stats(endpointID: endpoint.id, now: now)
            let day = try await store.attemptHistogram(endpointID: endpoint.id, now: now, width: .seconds(3600), count: 24)
            rows.append(
                EndpointsView.Row(
                    id: endpoint.id, name: endpoint.description.isEmpty ? endpoint.id : endpoint.description,
                    path: Self.pathSegment(endpoint.id), url: WebhookPresenter.maskedURL(endpoint),
                    description: endpoint.description, format: endpoint.format,
                    status: endpoint.active ? "active" : "disabled", health: endpoint.visibleHealth.state.rawValue,
                    pending: stats.pending, successRate: Self.successRate(stats),
                    chart: SVGChart.render(day, width: 120, height: 28, label: "Last 24 hours", axis: false)))
        }
        let view = EndpointsView(
            prefix: prefix, canWrite: visit.canWrite, rows: rows, empty: rows.isEmpty, filtered: !filter.isEmpty,
            health: Self.options(EndpointHealth.State.allCases.map(\.rawValue), selected: filter, any: "any health"))
        return await render("endpoints", view, title: "Endpoints", visit: visit, section: "endpoints")
    }

    func endpoint(_ id: String, _ request: Request, _ visit: Visit, revealSecret: Bool) async throws -> Response {
        let endpoint = try await store.requireEndpoint(id)
        let query = request.uri.queryParameters
        let page = try await webhooks.deliveryPage(id, query)
        let now = time.now()
        let stats = try await store.stats(endpointID: id, now: now)
        let day = try await store.attemptHistogram(endpointID: id, now: now, width: .seconds(3600), count: 24)
        let month = try await store.attemptHistogram(endpointID: id, now: now, width: .seconds(86_400), count: 30)
        let health = endpoint.visibleHealth
        let status = query.get("status") ?? ""
        let eventType = query.get("event_type") ?? ""
        var nextPage: String? = nil
        if page.hasMore, let last = page.deliveries.last {
            var parts = ["cursor=\(DeliveryCursor.encode(last.sequence))"]
            if !status.isEmpty { parts.append("status=\(Self.queryValue(status))") }
            if !eventType.isEmpty { parts.append("event_type=\(Self.queryValue(eventType))") }
            nextPage = "\(prefix)/ui/endpoints/\(Self.pathSegment(id))?" + parts.joined(separator: "&")
        }
        let options = WebhookPresenter.maskedOptions(endpoint.options)
        let view = EndpointView(
            prefix: prefix, csrf: visit.session.csrfToken, canWrite: visit.canWrite, id: endpoint.id,
            name: endpoint.description.isEmpty ? endpoint.id : endpoint.description, path: Self.pathSegment(endpoint.id),
            url: revealSecret ? endpoint.url : WebhookPresenter.maskedURL(endpoint), description: endpoint.description,
            format: endpoint.format, events: endpoint.events.joined(separator: ", "), active: endpoint.active,
            health: health.state.rawValue, healthReason: health.reason, consecutiveFailures: health.consecutiveFailures,
            nextProbe: health.state == .paused ? health.nextProbeAt.map(Timestamp.iso8601) : nil,
            secret: revealSecret ? endpoint.secret : WebhookPresenter.maskedSecret, secretRevealed: revealSecret,
            previousSecretUntil: endpoint.previousSecretExpiresAt.flatMap { $0 > now ? Timestamp.iso8601($0) : nil },
            options: options == .object([]) ? nil : JSONWriter.string(options),
            total: stats.total, successful: stats.successful, failed: stats.failed, pending: stats.pending,
            successRate: Self.successRate(stats), averageMs: stats.averageResponseTimeMs,
            dayChart: SVGChart.render(day, width: 480, height: 120, label: "Attempts per hour, last 24 hours", axis: true),
            monthChart: SVGChart.render(month, width: 480, height: 120, label: "Attempts per day, last 30 days", axis: true),
            statusOptions: Self.options(Delivery.Status.allCases.map(\.rawValue), selected: status, any: "any status"),
            eventType: eventType,
            deliveries: page.deliveries.map { DeliveryRowView($0, endpointPath: Self.pathSegment(id)) },
            noDeliveries: page.deliveries.isEmpty, shown: page.deliveries.count, matching: page.total,
            nextPage: nextPage, recoverSince: Self.formTime(now.addingTimeInterval(-86_400)))
        return await render("endpoint", view, title: endpoint.description.isEmpty ? endpoint.id : endpoint.description, visit: visit, section: "endpoints")
    }

    // MARK: Helpers

    static func successRate(_ stats: DeliveryStats) -> String {
        let finished = stats.successful + stats.failed
        guard finished > 0 else { return "—" }
        return "\(Int((Double(stats.successful) / Double(finished) * 100).rounded()))%"
    }

    static func options(_ values: [String], selected: String, any: String) -> [OptionView] {
        [OptionView(value: "", label: any, selected: selected.isEmpty)]
            + values.map { OptionView(value: $0, label: $0, selected: $0 == selected) }
    }

    /// Ids are ours (`wh_...`), but a path segment is escaped all the same.
    static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? ""
    }

    static func queryValue(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~*"))) ?? ""
    }

    /// `<input type="datetime-local">` sends "2026-11-28T10:00" without a zone; the dashboard
    /// shows and reads times in UTC, so that becomes "2026-11-28T10:00:00Z". Anything else is
    /// passed to the API as typed, for its own check and message.
    static func isoTime(_ text: String) -> String {
        let parts = text.split(separator: "T")
        if parts.count == 2, parts[1].count == 5, !text.hasSuffix("Z") { return text + ":00Z" }
        if parts.count == 2, parts[1].count == 8, !text.hasSuffix("Z") { return text + "Z" }
        return text
    }

    static func formTime(_ date: Date) -> String {
        String(Timestamp.iso8601(date).prefix(16))
    }
}
