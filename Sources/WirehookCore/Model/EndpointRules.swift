import struct Foundation.URL

/// What makes an endpoint's URL, event list and description acceptable.
public enum EndpointRules {
    public static let maxURLLength = 2048
    public static let maxEvents = 256
    public static let maxDescriptionLength = 1024

    public static func urlProblem(_ url: String) -> String? {
        guard !url.isEmpty else { return "url must not be empty" }
        guard url.utf8.count <= maxURLLength else { return "url is at most \(maxURLLength) characters" }
        guard url.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            return "url must not contain spaces or control characters"
        }
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else { return "url must be an absolute http:// or https:// URL" }
        guard let host = parsed.host, !host.isEmpty else { return "url must name a host" }
        guard host.utf8.count <= 253 else { return "url's host name is longer than 253 characters" }
        if let port = parsed.port, !(1...65535).contains(port) { return "url's port must be 1 to 65535" }
        // Foundation reads "https://example.com:/" as having no port; so do we, but say so plainly.
        if parsed.port == nil, url.contains("\(host):/") { return "url has an empty port" }
        if parsed.user != nil || parsed.password != nil { return "url must not carry credentials" }
        return nil
    }

    /// Checks an endpoint's filter; names outside the catalog need `allowCustom`.
    public static func eventsProblem(_ events: [String], allowCustom: Bool, catalog: EventCatalog) -> String? {
        guard !events.isEmpty else { return "events must list at least one event type, '*' or 'scope.*'" }
        guard events.count <= maxEvents else { return "events lists at most \(maxEvents) entries" }
        for pattern in events {
            if let problem = EventFilter.problem(with: pattern) { return problem }
            if !allowCustom, let problem = catalog.problem(withFilter: pattern) { return problem }
        }
        return nil
    }

    /// Rewrites any dialect's spelling of a catalog event to its canonical name (`user.modified`
    /// becomes `user.updated`), so filters match what fan-out sees.
    public static func canonicalEvents(_ events: [String], catalog: EventCatalog) -> [String] {
        var seen = Set<String>()
        return events.compactMap { pattern in
            let name = pattern.hasSuffix("*") ? pattern : (catalog.resolve(pattern)?.name ?? pattern)
            return seen.insert(name).inserted ? name : nil
        }
    }
}
