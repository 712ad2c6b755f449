import Foundation
import NIOHTTP1
import OpenAPIKit
import Prometheus
import Testing
import WirehookCore
import WirehookServer

/// The OpenAPI document against the server: every route the router serves is documented with
/// its methods, nothing documented is missing, the committed copy is current, and the scopes the
/// document names are the ones the server enforces.
@Suite(.timeLimit(.minutes(3)))
struct ContractTests {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// (method, path) of every operation in a served document, read from its JSON.
    static func operations(in document: JSONValue) -> [ServedRoute: JSONValue] {
        var operations: [ServedRoute: JSONValue] = [:]
        for path in document["paths"]?.objectMembers ?? [] {
            for method in path.value.objectMembers ?? [] {
                operations[ServedRoute(method: method.key.uppercased(), path: path.key)] = method.value
            }
        }
        return operations
    }

    @Test func theCommittedDocumentIsWhatTheCodeBuilds() throws {
        let committed = try String(
            contentsOf: Self.repositoryRoot.appendingPathComponent("docs/openapi.json"), encoding: .utf8)
        #expect(committed == (try APIContract.json()), "docs/openapi.json drifted: run `swift run wirehook docs --write`")
    }

    @Test func theDocumentIsValidOpenAPI31() throws {
        let document = APIContract.document()
        #expect(document.openAPIVersion.rawValue.hasPrefix("3.1."))
        // OpenAPIKit's validator: unique operation ids, declared path parameters, resolvable
        // references, at least one response per operation.
        try document.validate()
        // And the JSON as served reads back as an OpenAPI 3.1 document.
        let decoded = try JSONDecoder().decode(OpenAPI.Document.self, from: Data(try APIContract.json().utf8))
        #expect(decoded.paths.count == document.paths.count)
    }

    @Test func everyServedRouteIsDocumentedAndNothingElse() async throws {
        let server = try await TestServer.start(metrics: PrometheusCollectorRegistry())
        defer { Task { try await server.stop() } }

        // The contract as served, without a token.
        let reply = try await APIClient(baseURL: server.baseURL, token: nil).get("/openapi.json")
        #expect(reply.status == 200)
        #expect(reply.headers["Content-Type"].first?.hasPrefix("application/json") == true)
        #expect(reply["openapi"]?.stringValue?.hasPrefix("3.1.") == true)
        let documented = Set(Self.operations(in: reply.json).keys)

        let excluded = Set(APIContract.undocumentedRoutes)
        let served = Set(server.app.routes).subtracting(excluded)
        #expect(served.count > 20, "the router's routes were read: \(served.sorted())")
        let undocumented = served.subtracting(documented).sorted()
        let unserved = documented.subtracting(served).sorted()
        #expect(undocumented.isEmpty, "served but missing from the document: \(undocumented)")
        #expect(unserved.isEmpty, "documented but not served: \(unserved)")
        #expect(documented.isDisjoint(with: excluded), "a route excluded as not API is documented")
        #expect(Set(APIContract.documentedRoutes) == documented, "the served document is the one the code builds")
    }

    /// The scope each operation's security requirement names is the one the server demands: a key
    /// holding only that scope gets past authentication, a key holding every other scope gets 403.
    @Test func theDocumentedScopesAreTheEnforcedOnes() async throws {
        let server = try await TestServer.start(metrics: PrometheusCollectorRegistry())
        defer { Task { try await server.stop() } }
        let document = try await APIClient(baseURL: server.baseURL, token: nil).get("/openapi.json").json

        var keys: [String: String] = [:]
        for scope in APIScope.allCases {
            keys[scope.rawValue] = try await APIKeysTests.createKey(server.api, name: scope.rawValue, scopes: [scope.rawValue]).key
        }
        var checked = 0
        for (route, operation) in Self.operations(in: document).sorted(by: { $0.key < $1.key }) {
            let path = route.path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "x", options: .regularExpression)
            let method = HTTPMethod(rawValue: route.method)
            // HEAD for GET: the same credential check, and no body to wait for (the delivery
            // stream's never ends).
            func status(_ token: String?) async throws -> Int {
                let get = route.method == "GET"
                return try await server.api.request(
                    get ? .HEAD : method, path, json: get ? nil : [:], token: .some(token)
                ).status
            }
            let requirements = operation["security"]?.arrayValue ?? []
            guard let bearer = requirements.first?["bearer"]?.arrayValue else {
                // Open and panel routes: the bearer token is not what they check.
                let open = try await status(nil)
                #expect(open != 403, "\(route) is documented without a bearer token")
                if requirements.isEmpty { #expect(open != 401, "\(route) is documented as open") }
                continue
            }
            #expect(requirements.count == 1, "\(route): one way in")
            #expect(try await status(nil) == 401, "\(route) without a token")
            let scope = bearer.first?.stringValue
            for (name, key) in keys {
                let answer = try await status(key)
                if scope == nil || name == scope || name == APIScope.admin.rawValue {
                    #expect(answer != 401 && answer != 403, "\(route) with a '\(name)' key: \(answer)")
                } else {
                    #expect(answer == 403, "\(route) needs '\(scope ?? "")'; a '\(name)' key got \(answer)")
                }
            }
            checked += 1
        }
        #expect(checked >= 20, "every bearer operation was tried")
    }
}
