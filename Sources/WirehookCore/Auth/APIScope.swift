/// What an API key may do. `admin` includes every other scope and alone manages keys.
public enum APIScope: String, CaseIterable, Sendable, Hashable {
    case eventsWrite = "events:write"
    case webhooksRead = "webhooks:read"
    case webhooksWrite = "webhooks:write"
    case admin = "admin"
}
