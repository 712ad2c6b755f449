import Hummingbird
import OpenAPIKit
import WirehookCore

/// `/api-keys` (`APIKeysController`): admin only.
enum APIKeyOperations {
    typealias S = ContractSchemas

    static var all: [ContractOperation] {
        [
            ContractOperation(
                method: .post, path: "/api-keys", operationID: "createAPIKey", tag: "api-keys",
                summary: "Create a scoped API key", description: "The key is shown only in this answer.",
                access: .bearer(.admin),
                requestBody: ContractOperation.body(
                    .object(properties: [
                        "name": .string(maxLength: APIKeysController<BasicRequestContext>.maxNameLength),
                        "scopes": .array(minItems: 1, items: S.enumeration(APIScope.allCases.map(\.rawValue))),
                    ])),
                successes: [
                    201: ContractOperation.json(
                        "Created.", S.success(["api_key": S.apiKey(withKey: true)]),
                        links: ContractOperation.links(to: ["revokeAPIKey"], ["id": "/api_key/id"]))
                ]),
            ContractOperation(
                method: .get, path: "/api-keys", operationID: "listAPIKeys", tag: "api-keys",
                summary: "List API keys, never the keys themselves", access: .bearer(.admin),
                successes: [
                    200: ContractOperation.json(
                        "Every key.", S.success(["api_keys": .array(items: S.ref("APIKey")), "total": S.count]))
                ]),
            ContractOperation(
                method: .delete, path: "/api-keys/{id}", operationID: "revokeAPIKey", tag: "api-keys",
                summary: "Revoke an API key at once", access: .bearer(.admin),
                parameters: [ContractOperation.pathID("id", "The key's id (`key_…`).")],
                successes: [
                    200: ContractOperation.json("Revoked.", S.success(["message": .string, "api_key_id": .string]))
                ],
                errors: [.notFound]),
        ]
    }
}
