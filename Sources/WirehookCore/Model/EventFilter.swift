/// Matches event types against an endpoint's `events` list: exact names, `*`, and `scope.*` prefixes.
public struct EventFilter: Sendable, Equatable {
    public var patterns: [String]

    public init(patterns: [String]) { self.patterns = patterns }

    public func matches(_ type: String) -> Bool {
        for pattern in patterns {
            if pattern == "*" || pattern == type { return true }
            if pattern.hasSuffix(".*") {
                let prefix = pattern.dropLast(1)  // keeps the dot: "user." matches "user.created"
                if type.hasPrefix(prefix) { return true }
            }
        }
        return false
    }

    /// Why a pattern is not usable, or nil when it is well formed.
    public static func problem(with pattern: String) -> String? {
        if pattern == "*" { return nil }
        guard !pattern.isEmpty else { return "event names must not be empty" }
        guard pattern.utf8.count <= 200 else { return "event names are at most 200 characters" }
        var name = Substring(pattern)
        if pattern.hasSuffix(".*") { name = pattern.dropLast(2) }
        guard EventType.isValid(String(name)) else {
            return "'\(pattern)' is not an event name, '*' or a 'scope.*' wildcard"
        }
        return nil
    }
}
