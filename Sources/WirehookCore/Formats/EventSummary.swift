/// A short human-readable summary of any event, for chat formats: a title, a few labelled
/// values, and the user status that decides the colour. Secrets in the data are left out.
struct EventSummary {
    var title: String
    var lines: [(label: String, value: String)]
    var status: String?

    static let hiddenKeys: Set<String> = [
        "password", "trojanPassword", "vlessUuid", "ssPassword", "PrivateKey", "PresharedKey", "token", "secret",
        "subscriptionUrl", "subscription_url", "proxies", "links",
    ]

    init(_ event: Event, catalog: EventCatalog) {
        let entry = catalog.entry(event.type)
        title = entry?.summary ?? event.type
        var lines: [(String, String)] = []
        func collect(_ value: JSONValue, prefix: String) {
            guard case .object(let members) = value else { return }
            for member in members where lines.count < 12 && !Self.hiddenKeys.contains(member.key) {
                let label = prefix + member.key
                switch member.value {
                case .string(let s): lines.append((label, String(s.prefix(200))))
                case .number(let n): lines.append((label, n))
                case .bool(let b): lines.append((label, b ? "yes" : "no"))
                case .object where prefix.isEmpty: collect(member.value, prefix: member.key + ".")
                default: break
                }
            }
        }
        collect(event.data, prefix: "")
        self.lines = lines
        let statusText = event.data["status"]?.stringValue ?? event.data["user"]?["status"]?.stringValue
        switch event.type {
        case "user.disabled": status = "disabled"
        case "user.limited": status = "limited"
        case "user.expired": status = "expired"
        case "user.created", "user.enabled": status = "active"
        default: status = statusText?.lowercased()
        }
    }
}
