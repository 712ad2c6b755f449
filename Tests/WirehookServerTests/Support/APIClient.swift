import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import WirehookCore

/// A small client for the management API that returns status and parsed JSON.
struct APIClient: Sendable {
    struct Reply: Sendable {
        var status: Int
        var json: JSONValue
        var headers: HTTPHeaders
        var body: [UInt8] = []

        var rawText: String { String(decoding: body, as: UTF8.self) }
        subscript(key: String) -> JSONValue? { json[key] }
        var errorCode: String? { json["error"]?["code"]?.stringValue }
    }

    let baseURL: String
    let token: String?

    func request(
        _ method: HTTPMethod, _ path: String, json: JSONValue? = nil, raw: [UInt8]? = nil, token: String?? = nil,
        headers: [(String, String)] = []
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        let bearer = token ?? self.token
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: JSONWriter.serialize(json)))
        } else if let raw {
            request.body = .bytes(ByteBuffer(bytes: raw))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 << 20)
        let parsed = (try? JSONParser.parse(body.readableBytesView)) ?? .null
        return Reply(
            status: Int(response.status.code), json: parsed, headers: response.headers, body: Array(body.readableBytesView))
    }

    func get(_ path: String) async throws -> Reply { try await request(.GET, path) }
    func post(_ path: String, _ json: JSONValue) async throws -> Reply { try await request(.POST, path, json: json) }

    /// Creates a webhook and returns its id and full secret.
    func createWebhook(url: String, events: [String] = ["*"], format: String? = nil, secret: String? = nil)
        async throws -> (id: String, secret: String)
    {
        var body: JSONValue = ["url": .string(url), "events": .array(events.map { .string($0) }), "description": "test"]
        if let format { body = body.setting("format", to: .string(format)) }
        if let secret { body = body.setting("secret", to: .string(secret)) }
        let reply = try await post("/webhooks", body)
        guard reply.status == 201, let id = reply["webhook"]?["id"]?.stringValue,
            let secret = reply["webhook"]?["secret"]?.stringValue
        else { throw TestFailure("create webhook failed: \(reply.status) \(JSONWriter.string(reply.json))") }
        return (id, secret)
    }

    @discardableResult
    func sendEvent(_ type: String, data: JSONValue = ["n": 1], id: String? = nil) async throws -> Reply {
        var body: JSONValue = ["type": .string(type), "data": data]
        if let id { body = body.setting("id", to: .string(id)) }
        let reply = try await post("/events", body)
        guard reply.status == 202 else { throw TestFailure("send event failed: \(reply.status) \(JSONWriter.string(reply.json))") }
        return reply
    }

    /// Polls a webhook's delivery log until `predicate` holds.
    func waitForDeliveries(
        webhookID: String, timeout: Duration = .seconds(20), _ predicate: ([JSONValue]) -> Bool
    ) async throws -> [JSONValue] {
        let deadline = ContinuousClock.now + timeout
        var last: [JSONValue] = []
        while ContinuousClock.now < deadline {
            let reply = try await get("/webhooks/\(webhookID)/deliveries?limit=500")
            last = reply["deliveries"]?.arrayValue ?? []
            if predicate(last) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("deliveries never reached the expected state: \(JSONWriter.string(.array(last)))")
    }
}
