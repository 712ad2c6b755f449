import Hummingbird
import WirehookCore

/// `GET /event-types`: the catalog, with each event's dialect names and an example payload.
struct EventTypesController<Context: RequestContext> {
    let catalog: EventCatalog

    func addRoutes(to router: some RouterMethods<Context>) {
        router.get("/event-types") { request, _ in
            let scope = request.uri.queryParameters.get("scope")
            let entries = catalog.entries.filter { scope == nil || $0.scope == scope }
            return JSONResponse.make(
                .ok,
                ["success": true, "event_types": .array(entries.map(Self.json)), "total": .int(entries.count)])
        }
    }

    static func json(_ entry: EventCatalogEntry) -> JSONValue {
        var names: [JSONMember] = []
        if let name = entry.names.remnawave { names.append(JSONMember("remnawave", .string(name))) }
        if let name = entry.names.marzban { names.append(JSONMember("marzban", .string(name))) }
        if let name = entry.names.wgPortal {
            names.append(JSONMember("wg-portal", ["event": .string(name.event), "entity": .string(name.entity)]))
        }
        if let name = entry.names.vpnEnterprise { names.append(JSONMember("vpn-enterprise", .string(name))) }
        return [
            "name": .string(entry.name),
            "scope": .string(entry.scope),
            "description": .string(entry.summary),
            "sources": .array(entry.sourceDialects.map { .string($0) }),
            "dialect_names": .object(names),
            "example": entry.example,
        ]
    }
}
