import Foundation
import Hummingbird
import WirehookCore

/// The event catalog and the form to send an event by hand.
struct EventsView {
    struct Entry {
        var name: String
        var scope: String
        var summary: String
        var sources: String
        var dialects: String
        var example: String
        var selected: Bool
    }
    var prefix: String
    var csrf: String
    var canSend: Bool
    var entries: [Entry]
    var type: String
    var data: String
    var id: String
    var error: String?

    /// Each panel's name for the event: "Remnawave user.created · Marzban user_created".
    static func dialectNames(_ entry: EventCatalogEntry) -> String {
        var parts: [String] = []
        if let name = entry.names.remnawave { parts.append("Remnawave \(name)") }
        if let name = entry.names.marzban { parts.append("Marzban \(name)") }
        if let name = entry.names.wgPortal { parts.append("wg-portal \(name.entity)/\(name.event)") }
        if let name = entry.names.vpnEnterprise { parts.append("VPN Enterprise \(name)") }
        return parts.joined(separator: " · ")
    }
}
