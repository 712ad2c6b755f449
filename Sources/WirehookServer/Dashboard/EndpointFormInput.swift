import Foundation
import Hummingbird
import WirehookCore

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
