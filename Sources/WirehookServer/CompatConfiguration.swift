import Foundation
import WirehookCore
import Yams

/// The panels' own settings, so an admin can move a `.env` or wg-portal YAML over unchanged:
/// each becomes a static endpoint (id `wh_compat_…`) created or updated on every start.
public struct CompatConfiguration: Sendable {
    public var endpoints: [Endpoint] = []
    public var sources = SourceSecrets()

    public static let idPrefix = "wh_compat_"

    public init() {}

    /// Reads the environment and, when given, the YAML file; a bad value names its variable or key.
    public static func load(environment: [String: String], yamlPath: String?, catalog: EventCatalog = .standard, now: Date)
        throws(ConfigurationError) -> CompatConfiguration
    {
        var result = CompatConfiguration()
        func value(_ name: String) -> String? {
            guard let v = environment[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            // .env files often quote values.
            if v.count >= 2, (v.hasPrefix("\"") && v.hasSuffix("\"")) || (v.hasPrefix("'") && v.hasSuffix("'")) {
                return String(v.dropFirst().dropLast())
            }
            return v
        }
        func urls(_ name: String, _ text: String) throws(ConfigurationError) -> [String] {
            let list = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !list.isEmpty else { throw ConfigurationError("\(name) lists no URL") }
            for url in list {
                guard url.hasPrefix("http://") || url.hasPrefix("https://"), EndpointRules.urlProblem(url) == nil else {
                    throw ConfigurationError("\(name): '\(url)' must start with http:// or https:// and be a valid URL")
                }
            }
            return list
        }
        func endpoint(_ format: String, _ url: String, events: [String], secret: String, options: JSONValue = .object([]))
            -> Endpoint
        {
            Endpoint(
                id: idPrefix + String(HashID.of("\(format) \(url)").prefix(20)), url: url, events: events,
                description: "from \(format) compatibility settings", active: true, format: format, secret: secret,
                createdAt: now, updatedAt: now, options: options)
        }

        // Remnawave .env
        if let enabled = value("WEBHOOK_ENABLED") {
            switch enabled.lowercased() {
            case "true", "1", "yes":
                guard let list = value("WEBHOOK_URL") else {
                    throw ConfigurationError("WEBHOOK_ENABLED is true but WEBHOOK_URL is not set")
                }
                guard let secret = value("WEBHOOK_SECRET_HEADER") else {
                    throw ConfigurationError("WEBHOOK_ENABLED is true but WEBHOOK_SECRET_HEADER is not set")
                }
                if let problem = RemnawaveFormat.secretProblem(secret) {
                    throw ConfigurationError("WEBHOOK_SECRET_HEADER: \(problem)")
                }
                let scopes = Set(catalog.entries.compactMap { $0.names.remnawaveScope }).sorted().map { $0 + ".*" }
                for url in try urls("WEBHOOK_URL", list) {
                    result.endpoints.append(endpoint("remnawave", url, events: scopes, secret: secret))
                }
            case "false", "0", "no": break
            default: throw ConfigurationError("WEBHOOK_ENABLED='\(enabled)' must be true or false")
            }
        }

        // Marzban .env
        if let list = value("WEBHOOK_ADDRESS") {
            var interval = MarzbanFormat.defaultInterval
            if let text = value("JOB_SEND_NOTIFICATIONS_INTERVAL") {
                guard let seconds = Int(text), (1...3600).contains(seconds) else {
                    throw ConfigurationError("JOB_SEND_NOTIFICATIONS_INTERVAL='\(text)' must be whole seconds from 1 to 3600")
                }
                interval = seconds
            }
            let secret = value("WEBHOOK_SECRET") ?? ""
            if !secret.isEmpty, let problem = SecretGenerator.headerSafetyProblem(secret) {
                throw ConfigurationError("WEBHOOK_SECRET: \(problem)")
            }
            for url in try urls("WEBHOOK_ADDRESS", list) {
                result.endpoints.append(
                    endpoint("marzban", url, events: ["user.*"], secret: secret, options: ["batch_interval_seconds": .int(interval)]))
            }
        }
        if let url = value("DISCORD_WEBHOOK_URL") {
            result.endpoints.append(endpoint("discord", try urls("DISCORD_WEBHOOK_URL", url)[0], events: ["user.*"], secret: ""))
        }

        result.sources = SourceSecrets(
            remnawave: value("WIREHOOK_SOURCE_REMNAWAVE_SECRET"), marzban: value("WIREHOOK_SOURCE_MARZBAN_SECRET"),
            wgPortal: value("WIREHOOK_SOURCE_WGPORTAL_AUTH"))

        if let yamlPath { try loadYAML(yamlPath, into: &result, endpoint: endpoint) }
        return result
    }

    static func loadYAML(
        _ path: String, into result: inout CompatConfiguration,
        endpoint: (String, String, [String], String, JSONValue) -> Endpoint
    ) throws(ConfigurationError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("--config \(path): cannot read the file")
        }
        let root: Any?
        do {
            root = try Yams.load(yaml: text)
        } catch {
            throw ConfigurationError("--config \(path): not valid YAML: \(error)")
        }
        guard let document = root as? [String: Any] else {
            if root == nil { return }
            throw ConfigurationError("--config \(path): the top level must be a mapping")
        }
        if let webhook = document["webhook"] {
            guard let block = webhook as? [String: Any] else {
                throw ConfigurationError("--config \(path): 'webhook' must be a mapping with url, authentication, timeout")
            }
            if let url = block["url"] as? String, !url.isEmpty {
                guard EndpointRules.urlProblem(url) == nil else {
                    throw ConfigurationError("--config \(path): webhook.url '\(url)' must be an http:// or https:// URL")
                }
                // The current wg-portal code reads `authentication`; its docs say `secret`.
                let auth = (block["authentication"] as? String) ?? (block["secret"] as? String) ?? ""
                if !auth.isEmpty, let problem = SecretGenerator.headerSafetyProblem(auth) {
                    throw ConfigurationError("--config \(path): webhook.authentication: \(problem)")
                }
                var options: [JSONMember] = []
                if let timeout = block["timeout"] {
                    let text = "\(timeout)"
                    guard let duration = DurationText.parse(text) ?? Int(text).map({ .seconds($0) }),
                        duration >= .seconds(1), duration <= .seconds(60)
                    else {
                        throw ConfigurationError("--config \(path): webhook.timeout '\(text)' must be a duration from 1s to 60s")
                    }
                    options.append(JSONMember("timeout_seconds", .double(duration.timeInterval)))
                }
                result.endpoints.append(
                    endpoint(
                        "wg-portal", url, ["user.*", "peer.*", "interface.*", "vpn.connected", "vpn.disconnected"], auth,
                        .object(options)))
            }
        }
        if let sources = document["sources"] as? [String: Any] {
            if let v = sources["remnawave_secret"] as? String { result.sources.remnawave = v }
            if let v = sources["marzban_secret"] as? String { result.sources.marzban = v }
            if let v = sources["wgportal_auth"] as? String { result.sources.wgPortal = v }
        }
    }

    /// Creates or updates the static endpoints and removes ones no longer configured.
    public func apply(to store: any WebhookStore, now: Date) async throws {
        let existing = try await store.endpoints().filter { $0.id.hasPrefix(Self.idPrefix) }
        let byID = Dictionary(existing.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for var endpoint in endpoints {
            if let current = byID[endpoint.id] {
                endpoint.createdAt = current.createdAt
                if current != endpoint { try await store.updateEndpoint(endpoint) }
            } else {
                do {
                    try await store.insertEndpoint(endpoint)
                } catch {
                    // Another process starting at the same moment inserted it first; ours is the same.
                    guard try await store.endpoint(id: endpoint.id) != nil else { throw error }
                    try await store.updateEndpoint(endpoint)
                }
            }
        }
        let wanted = Set(endpoints.map(\.id))
        for endpoint in existing where !wanted.contains(endpoint.id) {
            _ = try await store.deleteEndpoint(id: endpoint.id)
        }
    }
}
