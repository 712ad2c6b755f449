import Foundation
import Testing
import WirehookCore

/// Bad input below the API: requests the HTTP parser refuses, wrong methods, HEAD, header limits.
// Serialized: each test starts a server, and the suite runs beside timing-sensitive ones.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ProtocolErrorTests {
    static let auth = "Authorization: Bearer \(TestServer.adminToken)\r\n"

    /// Splits a raw answer into its status code, headers (lowercased names) and JSON body.
    static func parse(_ text: String) -> (status: Int, headers: [String: String], json: JSONValue?) {
        let parts = text.components(separatedBy: "\r\n\r\n")
        let lines = parts[0].components(separatedBy: "\r\n")
        let status = lines.first.flatMap { line in line.split(separator: " ").dropFirst().first.flatMap { Int($0) } } ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = parts.dropFirst().joined(separator: "\r\n\r\n")
        return (status, headers, try? JSONParser.parse(Array(body.utf8)))
    }

    static let parserRejections: [(name: String, request: String, status: Int)] = [
        ("bad method token", "G@T /health HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("NUL in a header", "GET /health HTTP/1.1\r\nHost: x\r\nX-Bad: a\u{0}b\r\n\r\n", 400),
        ("control character in a header name", "GET /health HTTP/1.1\r\nHost: x\r\nX\u{1}Bad: a\r\n\r\n", 400),
        (
            "Content-Length with Transfer-Encoding",
            "POST /events HTTP/1.1\r\nHost: x\r\n\(auth)Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 400
        ),
        ("two different Content-Lengths", "POST /events HTTP/1.1\r\nHost: x\r\n\(auth)Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400),
        ("an oversized header", "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 20_000))\r\n\r\n", 431),
        (
            "too many headers",
            "GET /health HTTP/1.1\r\nHost: x\r\n" + (0..<150).map { "X-H\($0): v\r\n" }.joined() + "\r\n", 431
        ),
    ]

    /// One server for every case, one after another: each case closes its own connection.
    @Test func parserRejectionsGetAJSONError() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let port = try #require(URL(string: server.baseURL)?.port)
        for (name, request, status) in Self.parserRejections {
            let answer = Self.parse(try await RawHTTP.response(port: port, request: Array(request.utf8)))
            #expect(answer.status == status, "\(name): \(answer)")
            #expect(answer.headers["content-type"]?.hasPrefix("application/json") == true, "\(name): \(answer.headers)")
            #expect(answer.json?["success"] == false, "\(name): \(answer)")
            #expect(answer.json?["error"]?["code"]?.stringValue != nil, "\(name)")
            #expect((answer.json?["error"]?["message"]?.stringValue ?? "").count > 10, "\(name): \(answer)")
            #expect(try await server.api.get("/health").status == 200, "still serving after \(name)")
        }
    }

    @Test func headersWithinTheLimitsAreServed() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let headers = (0..<60).map { ("X-H\($0)", String(repeating: "v", count: 200)) }
        let reply = try await APIClient(baseURL: server.baseURL, token: nil).request(.GET, "/health", headers: headers)
        #expect(reply.status == 200)
    }

    @Test func aWrongMethodOnAKnownRouteIs405WithAllow() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let deleteEvents = try await server.api.request(.DELETE, "/events")
        #expect(deleteEvents.status == 405)
        #expect(deleteEvents.errorCode == "method_not_allowed")
        #expect(deleteEvents.headers.first(name: "Allow") == "POST")

        let (id, _) = try await server.api.createWebhook(url: "http://127.0.0.1:1/x")
        let postOne = try await server.api.request(.POST, "/webhooks/\(id)", json: [:])
        #expect(postOne.status == 405)
        let allow = Set((postOne.headers.first(name: "Allow") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(allow == ["GET", "HEAD", "PUT", "PATCH", "DELETE"], "\(allow)")

        // An unknown path stays 404, and a handler's own 404 is not turned into 405.
        #expect(try await server.api.request(.DELETE, "/nothing-here").status == 404)
        #expect(try await server.api.get("/webhooks/wh_missing").status == 404)
        // Credentials belong to routes (each route's group checks its scope), so a method no route
        // has is answered 405 before any token is asked for; the routes are public knowledge in the
        // API document anyway. A real route without a token is 401.
        let anonymous = APIClient(baseURL: server.baseURL, token: nil)
        #expect(try await anonymous.request(.DELETE, "/webhooks").status == 405)
        #expect(try await anonymous.request(.GET, "/webhooks").status == 401)
    }

    @Test func headWorksWhereGetDoes() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let port = try #require(URL(string: server.baseURL)?.port)
        for path in ["/health", "/webhooks"] {
            let get = try await server.api.get(path)
            let text = try await RawHTTP.response(
                port: port, request: Array("HEAD \(path) HTTP/1.1\r\nHost: x\r\n\(Self.auth)Connection: close\r\n\r\n".utf8))
            let head = Self.parse(text)
            #expect(head.status == get.status, "HEAD \(path): \(text)")
            #expect(head.headers["content-type"] == get.headers.first(name: "Content-Type"))
            #expect(text.hasSuffix("\r\n\r\n"), "HEAD \(path) has no body: \(text)")
        }
    }
}
