import Foundation
import Testing
import WirehookCore

/// `GET /healthz` and `GET /readyz`: liveness and readiness, without a token.
@Suite(.timeLimit(.minutes(2)))
struct ProbeTests {
    @Test func bothProbesAnswerWithoutAToken() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let anonymous = APIClient(baseURL: server.baseURL, token: nil)
        let live = try await anonymous.get("/healthz")
        #expect(live.status == 200, "\(live.rawText)")
        #expect(live["status"]?.stringValue == "ok")
        let ready = try await anonymous.get("/readyz")
        #expect(ready.status == 200, "\(ready.rawText)")
        #expect(ready["status"]?.stringValue == "ready")
        #expect(ready["migrations"]?.stringValue == "applied")
        #expect(ready["database"]?.stringValue == "ok")
        #expect(ready["shutting_down"]?.boolValue == false)
        // The older combined probe keeps working.
        #expect(try await anonymous.get("/health").status == 200)
        // Anything else still needs a credential.
        #expect(try await anonymous.get("/webhooks").status == 401)
    }

    @Test func readinessTurnsUnavailableWhileTheProcessStops() async throws {
        var configuration = try TestServer.makeConfiguration()
        configuration.shutdownGrace = .seconds(4)
        let server = try await TestServer.start(configuration)
        let anonymous = APIClient(baseURL: server.baseURL, token: nil)
        #expect(try await anonymous.get("/readyz").status == 200)
        let stopping = Task { try await server.stop() }
        var seen: APIClient.Reply?
        for _ in 0..<60 {
            let reply = try await anonymous.get("/readyz")
            if reply.status != 200 {
                seen = reply
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let reply = try #require(seen, "/readyz never left 200 during the shutdown grace")
        #expect(reply.status == 503)
        #expect(reply["shutting_down"]?.boolValue == true)
        #expect(reply["error"]?.stringValue?.contains("shutting down") == true)
        #expect(reply.headers.first(name: "Retry-After") != nil)
        // Still alive while it drains: liveness must not get it killed.
        #expect(try await anonymous.get("/healthz").status == 200)
        try await stopping.value
    }
}
