import Foundation
import Hummingbird
import WirehookCore

/// `/api-keys`: create (the key is shown once), list (never the key) and revoke scoped API keys.
struct APIKeysController<Context: RequestContext> {
    let store: any APIKeyStore
    let time: TimeSource
    let bodies: BodyReader

    static var maxNameLength: Int { 200 }

    func addRoutes(to router: some RouterMethods<Context>) {
        router.post("/api-keys") { request, _ in try await create(request) }
        router.get("/api-keys") { _, _ in try await list() }
        router.delete("/api-keys/:id") { _, context in try await revoke(try context.parameters.require("id")) }
    }

    func create(_ request: Request) async throws -> Response {
        let fields = try Fields(try await bodies.json(request).value)
        guard let name = try fields.string("name", maxLength: Self.maxNameLength),
            !name.trimmingCharacters(in: .whitespaces).isEmpty
        else {
            throw WirehookError.invalid("'name' is required")
        }
        let known = APIScope.allCases.map(\.rawValue).joined(separator: ", ")
        guard let names = try fields.stringArray("scopes"), !names.isEmpty else {
            throw WirehookError.invalid("'scopes' is required: a non-empty list of \(known)")
        }
        var scopes: [APIScope] = []
        for name in names {
            guard let scope = APIScope(rawValue: name) else {
                throw WirehookError.invalid("unknown scope '\(name)'; one of: \(known)")
            }
            if !scopes.contains(scope) { scopes.append(scope) }
        }
        let (key, secret) = APIKey.generate(name: name, scopes: scopes, now: time.now())
        try await store.insertAPIKey(key)
        return JSONResponse.make(
            .created, ["success": true, "api_key": Self.json(key).setting("key", to: .string(secret))])
    }

    func list() async throws -> Response {
        let keys = try await store.apiKeys()
        return JSONResponse.make(.ok, ["success": true, "api_keys": .array(keys.map(Self.json)), "total": .int(keys.count)])
    }

    func revoke(_ id: String) async throws -> Response {
        guard try await store.deleteAPIKey(id: id) else { throw WirehookError.notFound("no API key '\(id)'") }
        return JSONResponse.make(.ok, ["success": true, "message": "API key revoked", "api_key_id": .string(id)])
    }

    /// Everything about a key except the key and its hash.
    static func json(_ key: APIKey) -> JSONValue {
        [
            "id": .string(key.id),
            "name": .string(key.name),
            "scopes": .array(key.scopes.map { .string($0.rawValue) }),
            "created_at": .timestamp(key.createdAt),
            "last_used_at": .timestamp(key.lastUsedAt),
        ]
    }
}
