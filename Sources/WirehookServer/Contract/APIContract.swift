import Foundation
import Hummingbird
import OpenAPIKit
import WirehookCore

/// The HTTP API's contract: an OpenAPI 3.1 document of every route, built from the operations
/// declared in `Operations/`, served at `GET /openapi.json` (no token) and committed as
/// `docs/openapi.json` by `wirehook docs --write`.
public enum APIContract {
    public static let path = "/openapi.json"

    /// Routes the router serves on purpose without their being part of the API: the web dashboard's
    /// pages, forms and assets (HTML for browsers, signed in with a session, not a bearer token).
    /// The contract tests skip exactly these; everything else served must be documented.
    public static let undocumentedRoutes: [ServedRoute] = [
        ServedRoute(method: "GET", path: "/"),
        ServedRoute(method: "GET", path: "/assets/dashboard.css"),
        ServedRoute(method: "GET", path: "/assets/dashboard.js"),
        ServedRoute(method: "GET", path: "/ui"),
        ServedRoute(method: "GET", path: "/ui/endpoints"),
        ServedRoute(method: "POST", path: "/ui/endpoints"),
        ServedRoute(method: "GET", path: "/ui/endpoints/new"),
        ServedRoute(method: "GET", path: "/ui/endpoints/{id}"),
        ServedRoute(method: "POST", path: "/ui/endpoints/{id}"),
        ServedRoute(method: "GET", path: "/ui/endpoints/{id}/delete"),
        ServedRoute(method: "POST", path: "/ui/endpoints/{id}/delete"),
        ServedRoute(method: "GET", path: "/ui/endpoints/{id}/deliveries/{delivery_id}"),
        ServedRoute(method: "POST", path: "/ui/endpoints/{id}/deliveries/{delivery_id}/retry"),
        ServedRoute(method: "POST", path: "/ui/endpoints/{id}/disable"),
        ServedRoute(method: "GET", path: "/ui/endpoints/{id}/edit"),
        ServedRoute(method: "POST", path: "/ui/endpoints/{id}/enable"),
        ServedRoute(method: "POST", path: "/ui/endpoints/{id}/recover"),
        ServedRoute(method: "POST", path: "/ui/endpoints/{id}/reveal-secret"),
        ServedRoute(method: "POST", path: "/ui/endpoints/{id}/rotate-secret"),
        ServedRoute(method: "POST", path: "/ui/endpoints/{id}/test"),
        ServedRoute(method: "GET", path: "/ui/events"),
        ServedRoute(method: "POST", path: "/ui/events"),
        ServedRoute(method: "GET", path: "/ui/live"),
        ServedRoute(method: "GET", path: "/ui/live/rows"),
        ServedRoute(method: "GET", path: "/ui/live/stream"),
        ServedRoute(method: "GET", path: "/ui/sign-in"),
        ServedRoute(method: "POST", path: "/ui/sign-in"),
        ServedRoute(method: "POST", path: "/ui/sign-out"),
    ]

    static var operations: [ContractOperation] {
        ServiceOperations.all + EventOperations.all + WebhookOperations.all + RepairOperations.all
            + DeliveryStreamOperations.all + APIKeyOperations.all + PanelIngestOperations.all
    }

    /// Every (method, path) the document describes.
    public static var documentedRoutes: [ServedRoute] {
        operations.map { ServedRoute(method: $0.method.rawValue, path: $0.path) }.sorted()
    }

    public static func document() -> OpenAPI.Document {
        var paths: OpenAPI.PathItem.Map = [:]
        for operation in operations {
            let key = OpenAPI.Path(rawValue: operation.path)
            var item = paths[key]?.pathItemValue ?? OpenAPI.PathItem()
            item.set(operation: operation.openAPIOperation, for: operation.method)
            paths[key] = .pathItem(item)
        }
        var responses: OpenAPI.ComponentReferenceDictionary<OpenAPI.Response> = [:]
        for status in ErrorStatus.allCases {
            responses[.init(stringLiteral: status.componentName)] = .response(status.response)
        }
        return OpenAPI.Document(
            openAPIVersion: .v3_1_1,
            info: OpenAPI.Document.Info(
                title: "Wirehook",
                description: "Self-hosted webhook delivery. Every error is "
                    + "`{\"success\":false,\"error\":{\"code\",\"message\"}}`. HEAD works wherever GET does; a "
                    + "wrong method on a known path is a 405 `method_not_allowed` with `Allow`.",
                version: WirehookVersion.current),
            servers: [],
            paths: paths,
            components: OpenAPI.Components(
                schemas: ContractSchemas.components, responses: responses, securitySchemes: ContractSecurity.schemes),
            tags: ["service", "events", "webhooks", "deliveries", "api-keys", "ingest"].map { OpenAPI.Tag(name: $0) })
    }

    /// The document as served and committed: pretty-printed with sorted keys, so it diffs well and
    /// is the same bytes on every platform, with a final newline.
    public static func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document()), as: UTF8.self) + "\n"
    }

    /// `GET /openapi.json` answering `json`, encoded once per app; it needs no token (registered
    /// outside every auth group).
    static func addRoute(to router: Router<BasicRequestContext>, json: String) {
        let body = ByteBuffer(string: json)
        router.get(RouterPath(path)) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: body))
        }
    }
}
