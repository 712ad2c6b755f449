import Foundation
import Hummingbird
import WirehookCore

/// The event catalog, and a form to send an event by hand.
extension Dashboard {
    func addEventRoutes(to router: some RouterMethods<Context>) {
        // The catalog holds nothing secret: any signed-in credential may read it, as on the API.
        router.get("/ui/events", use: page(nil) { _, _, visit in await events(visit, form: nil, error: nil) })
        router.post(
            "/ui/events",
            use: action(.eventsWrite, back: { _ in "/ui/events" }) { _, _, visit, form in
                let input = SendEventInput(form)
                do {
                    let data: JSONValue
                    do {
                        data = try JSONParser.parse(Array(input.data.utf8))
                    } catch {
                        throw WirehookError(.invalidField, "'data' is not valid JSON: \(error)")
                    }
                    var members = [JSONMember("type", .string(input.type)), JSONMember("data", data)]
                    if !input.id.isEmpty { members.append(JSONMember("id", .string(input.id))) }
                    let submission = try EventsController<Context>.submission(
                        from: .object(members), now: time.now(), catalog: catalog)
                    guard let outcome = try await ingest.submit([submission], bytes: input.data.utf8.count).first else {
                        throw WirehookError(.internalError, "the event was not stored")
                    }
                    let message =
                        outcome.duplicate
                        ? "Event \(outcome.eventID) was already received; nothing new was sent"
                        : "Event \(outcome.eventID) accepted: \(outcome.deliveries) deliver\(outcome.deliveries == 1 ? "y" : "ies")"
                    return try await done(visit, message, then: "/ui/events")
                } catch let error as WirehookError where error.code == .invalidField || error.code == .malformedJSON {
                    return await events(visit, form: input, error: error.message)
                }
            })
    }

    func events(_ visit: Visit, form: SendEventInput?, error: String?) async -> Response {
        let input = form ?? SendEventInput(type: "user.created", data: "{\"username\": \"alice\"}", id: "")
        let view = EventsView(
            prefix: prefix, csrf: visit.session.csrfToken, canSend: visit.allows(.eventsWrite),
            entries: catalog.entries.map { entry in
                EventsView.Entry(
                    name: entry.name, scope: entry.scope, summary: entry.summary,
                    sources: entry.sourceDialects.isEmpty ? "API only" : entry.sourceDialects.joined(separator: ", "),
                    dialects: EventsView.dialectNames(entry),
                    example: JSONWriter.string(entry.example, style: .javascript), selected: entry.name == input.type)
            },
            type: input.type, data: input.data, id: input.id, error: error)
        return await render(
            "events", view, title: "Events", visit: visit, section: "events",
            status: error == nil ? .ok : .unprocessableContent)
    }
}
