/// Renders the catalog and the dialect name table as Markdown: `docs/events.md` and
/// `docs/dialects.md` are this output, and a test fails when the files drift from it.
public enum CatalogDocument {
    public static func events(_ catalog: EventCatalog = .standard) -> String {
        var out = """
            # Event catalog

            Generated from `Sources/WirehookCore/Catalog` by `wirehook docs --write`; do not edit by hand.
            `GET /event-types` serves the same list. Endpoint filters take these names, `*`, or `scope.*`.

            """
        var scope = ""
        for entry in catalog.entries {
            if entry.scope != scope {
                scope = entry.scope
                out += "\n## Scope `\(scope)`\n\n| event | description | sent by |\n| --- | --- | --- |\n"
            }
            out += "| `\(entry.name)` | \(entry.summary) | \(entry.sourceDialects.joined(separator: ", ")) |\n"
        }
        out += "\n## Example payloads\n"
        for entry in catalog.entries {
            out += "\n### `\(entry.name)`\n\n```json\n\(PrettyJSON.string(entry.example))\n```\n"
        }
        return out
    }

    public static func dialects(_ catalog: EventCatalog = .standard) -> String {
        var out = """
            # Dialect mapping: event names and fields

            Generated from `Sources/WirehookCore/Catalog` by `wirehook docs --write`; do not edit by hand.

            Each row is one canonical Wirehook event and what each panel calls it. An event is
            delivered to an endpoint in that endpoint's dialect under the dialect's name; where a
            cell is empty the dialect has no counterpart, and the delivery is logged as `skipped`
            with the reason instead of being sent. `standard`, `discord` and `telegram` endpoints
            take every event under its canonical name.

            | canonical | remnawave | marzban | wg-portal (event / entity) | vpn-enterprise |
            | --- | --- | --- | --- | --- |

            """
        for entry in catalog.entries {
            let n = entry.names
            let wg = n.wgPortal.map { "`\($0.event)` / `\($0.entity)`" } ?? ""
            out += "| `\(entry.name)` | \(n.remnawave.map { "`\($0)`" } ?? "") | \(n.marzban.map { "`\($0)`" } ?? "") | \(wg) | \(n.vpnEnterprise.map { "`\($0)`" } ?? "") |\n"
        }
        return out + MappingDocument.markdown()
    }
}

/// Indented JSON for documentation (two spaces, key order kept).
public enum PrettyJSON {
    public static func string(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .array(let elements) where !elements.isEmpty:
            return "[\n" + elements.map { inner + string($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let members) where !members.isEmpty:
            return "{\n"
                + members.map { inner + JSONWriter.string(.string($0.key)) + ": " + string($0.value, indent: inner) }
                .joined(separator: ",\n") + "\n\(indent)}"
        default:
            return JSONWriter.string(value)
        }
    }
}
