import Foundation
import Hummingbird
import WirehookCore

/// New and edit endpoint: the form is turned into the API's JSON fields and handed to the API's
/// create and update, so a refusal carries the API's message; it is shown beside its field.
extension Dashboard {
    func addFormRoutes(to router: some RouterMethods<Context>) {
        router.get(
            "/ui/endpoints/new",
            use: page(.webhooksWrite) { _, _, visit in
                await renderForm(EndpointFormInput.blank, editing: nil, error: nil, visit: visit)
            })
        router.post(
            "/ui/endpoints",
            use: action(.webhooksWrite, back: { _ in "/ui/endpoints/new" }) { request, _, visit, form in
                let input = EndpointFormInput(form)
                do {
                    let endpoint = try await webhooks.create(Fields(input.fields(editing: nil)))
                    // The new secret is shown in this answer, as the API's 201 shows it, rather
                    // than carried to the next page in the session's notice (which is stored).
                    try await sessions.setFlash(
                        id: visit.sessionID,
                        .init(message: "Endpoint created. Copy its secret now: later it shows masked until you press Reveal.", isError: false))
                    return try await self.endpoint(endpoint.id, request, visit, revealSecret: true)
                } catch let error as WirehookError where error.code == .invalidField {
                    return await renderForm(input, editing: nil, error: error.message, visit: visit)
                }
            })
        router.get(
            "/ui/endpoints/:id/edit",
            use: page(.webhooksWrite) { _, context, visit in
                let endpoint = try await store.requireEndpoint(try context.parameters.require("id"))
                return await renderForm(EndpointFormInput(endpoint), editing: endpoint, error: nil, visit: visit)
            })
        router.post(
            "/ui/endpoints/:id",
            use: action(.webhooksWrite, back: { context in "/ui/endpoints/\(Self.pathSegment(context.parameters.get("id") ?? ""))/edit" }) {
                _, context, visit, form in
                let endpoint = try await store.requireEndpoint(try context.parameters.require("id"))
                let input = EndpointFormInput(form)
                do {
                    _ = try await webhooks.update(endpoint.id, Fields(input.fields(editing: endpoint)))
                    return try await done(visit, "Endpoint saved", then: "/ui/endpoints/\(Self.pathSegment(endpoint.id))")
                } catch let error as WirehookError where error.code == .invalidField {
                    return await renderForm(input, editing: endpoint, error: error.message, visit: visit)
                }
            })
    }

    func renderForm(_ input: EndpointFormInput, editing: Endpoint?, error: String?, visit: Visit) async -> Response {
        let field = error.map(EndpointFormInput.field(of:)) ?? ""
        func problem(_ name: String) -> String? { field == name ? error : nil }
        let chosen = Set(input.events)
        var groups: [EventGroupView] = []
        var scopes: [String] = []
        for entry in catalog.entries where !scopes.contains(entry.scope) { scopes.append(entry.scope) }
        for scope in scopes {
            let entries = catalog.entries.filter { $0.scope == scope }
            groups.append(
                EventGroupView(
                    scope: scope, wildcard: "\(scope).*", wildcardChecked: chosen.contains("\(scope).*"),
                    events: entries.map { entry in
                        EventChoiceView(
                            name: entry.name, checked: chosen.contains(entry.name), summary: entry.summary,
                            dialects: EventsView.dialectNames(entry))
                    }))
        }
        let known = Set(["*"] + groups.flatMap { [$0.wildcard] + $0.events.map(\.name) })
        let formats = self.formats.names.map { name in
            let guide = FormatGuide.guide(name)
            let options = (guide?.options ?? []).map {
                // Values typed for another format are not carried over to this one's inputs.
                OptionFieldView($0, format: name, value: name == input.format ? input.options[$0.key] ?? "" : "")
            }
            return FormatChoiceView(
                name: name, checked: name == input.format, summary: guide?.summary ?? "", options: options,
                hasOptions: !options.isEmpty)
        }
        let view = EndpointFormView(
            prefix: prefix, csrf: visit.session.csrfToken, editing: editing != nil, id: editing?.id ?? "",
            path: editing.map { Self.pathSegment($0.id) } ?? "",
            url: input.url, urlError: problem("url"), description: input.description,
            descriptionError: problem("description"), formats: formats, formatError: problem("format"),
            everything: chosen.contains("*"), groups: groups,
            otherEvents: input.events.filter { !known.contains($0) }.joined(separator: "\n"), eventsError: problem("events"),
            secretError: problem("secret"),
            common: FormatGuide.common.map { OptionFieldView($0, format: "", value: input.options[$0.key] ?? "") },
            optionsError: problem("options"), active: input.active, generalError: problem(""))
        return await render(
            "endpoint-form", view, title: editing == nil ? "New endpoint" : "Edit endpoint", visit: visit,
            section: "endpoints", status: error == nil ? .ok : .unprocessableContent)
    }
}
