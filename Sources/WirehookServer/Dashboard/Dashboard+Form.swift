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

/// What the endpoint form holds, read from a post or from a stored endpoint.
struct EndpointFormInput: Sendable {
    var url: String
    var description: String
    var format: String
    var events: [String]
    var secret: String
    /// Option values as typed, by key (the chosen format's and the common ones).
    var options: [String: String]
    var active: Bool

    static let blank = EndpointFormInput(
        url: "", description: "", format: "standard", events: [], secret: "", options: [:], active: true)

    init(url: String, description: String, format: String, events: [String], secret: String, options: [String: String], active: Bool) {
        self.url = url
        self.description = description
        self.format = format
        self.events = events
        self.secret = secret
        self.options = options
        self.active = active
    }

    init(_ form: FormBody) {
        url = form.trimmed("url") ?? ""
        description = form["description"] ?? ""
        format = form.trimmed("format") ?? "standard"
        let other = (form["events_other"] ?? "").split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == " " || $0 == "\r" })
        events = (form.all("events") + other.map(String.init)).filter { !$0.isEmpty }
        secret = form.trimmed("secret") ?? ""
        var options: [String: String] = [:]
        let keys = (FormatGuide.guide(format)?.options ?? []) + FormatGuide.common
        for option in keys {
            // A format's own inputs are named after it, so switching format drops the old ones.
            let name = option.key == "timeout_seconds" || option.key == "allow_custom_types"
                ? "option.\(option.key)" : "option.\(format).\(option.key)"
            if let value = form.trimmed(name) { options[option.key] = value }
        }
        self.options = options
        active = form["active"] != nil
    }

    init(_ endpoint: Endpoint) {
        url = WebhookPresenter.maskedURL(endpoint)
        description = endpoint.description
        format = endpoint.format
        events = endpoint.events
        secret = ""
        var options: [String: String] = [:]
        for option in (FormatGuide.guide(endpoint.format)?.options ?? []) + FormatGuide.common {
            switch endpoint.options[option.key] {
            case .string(let text)?: options[option.key] = text
            case .bool(true)?: options[option.key] = "on"
            case let value? where value.doubleValue != nil: options[option.key] = JSONWriter.string(value)
            default: break
            }
        }
        self.options = options
        active = endpoint.active
    }

    /// The API's fields. On an edit, an unchanged masked URL and an empty secret are left out,
    /// so they keep their stored values.
    func fields(editing: Endpoint?) -> JSONValue {
        var members: [JSONMember] = []
        if !url.isEmpty, url != editing.map(WebhookPresenter.maskedURL) { members.append(JSONMember("url", .string(url))) }
        members.append(JSONMember("events", .array(events.map { .string($0) })))
        members.append(JSONMember("format", .string(format)))
        members.append(JSONMember("description", .string(description)))
        if !secret.isEmpty { members.append(JSONMember("secret", .string(secret))) }
        if editing == nil { members.append(JSONMember("active", .bool(active))) }
        var optionMembers: [JSONMember] = []
        for option in (FormatGuide.guide(format)?.options ?? []) + FormatGuide.common {
            guard let text = options[option.key] else { continue }
            switch option.kind {
            case .flag: optionMembers.append(JSONMember(option.key, .bool(true)))
            // A number that does not parse goes through as text, for the API's check to name.
            case .number:
                optionMembers.append(JSONMember(option.key, Int(text).map { .int($0) } ?? .string(text)))
            case .text:
                // Telegram's numeric chat ids are numbers in the API's examples.
                optionMembers.append(JSONMember(option.key, .string(text)))
            }
        }
        members.append(JSONMember("options", .object(optionMembers)))
        return .object(members)
    }

    /// Which input an API message is about, by the field name it starts with.
    static func field(of message: String) -> String {
        let lower = message.lowercased()
        if lower.hasPrefix("'url'") || lower.hasPrefix("url") { return "url" }
        if lower.hasPrefix("secret") || lower.hasPrefix("'secret'") { return "secret" }
        if lower.hasPrefix("options") || lower.hasPrefix("'options'") { return "options" }
        if lower.hasPrefix("'description'") { return "description" }
        if lower.contains("format") && !lower.contains("event") { return "format" }
        if lower.contains("event") || lower.contains("pattern") || lower.contains("scope") { return "events" }
        return ""
    }
}

struct EventChoiceView {
    var name: String
    var checked: Bool
    var summary: String
    var dialects: String
}

struct EventGroupView {
    var scope: String
    var wildcard: String
    var wildcardChecked: Bool
    var events: [EventChoiceView]
}

struct OptionFieldView {
    var name: String
    var inputID: String
    var label: String
    var help: String
    var value: String
    var isFlag: Bool
    var isNumber: Bool
    var checked: Bool

    init(_ option: FormatGuide.Option, format: String, value: String) {
        name = format.isEmpty ? "option.\(option.key)" : "option.\(format).\(option.key)"
        inputID = name.replacingOccurrences(of: ".", with: "-")
        label = option.label
        help = option.help
        self.value = value
        isFlag = option.kind == .flag
        isNumber = option.kind == .number
        checked = !value.isEmpty
    }
}

struct FormatChoiceView {
    var name: String
    var checked: Bool
    var summary: String
    var options: [OptionFieldView]
    var hasOptions: Bool
}

struct EndpointFormView {
    var prefix: String
    var csrf: String
    var editing: Bool
    var id: String
    var path: String
    var url: String
    var urlError: String?
    var description: String
    var descriptionError: String?
    var formats: [FormatChoiceView]
    var formatError: String?
    var everything: Bool
    var groups: [EventGroupView]
    var otherEvents: String
    var eventsError: String?
    var secretError: String?
    var common: [OptionFieldView]
    var optionsError: String?
    var active: Bool
    var generalError: String?
}
