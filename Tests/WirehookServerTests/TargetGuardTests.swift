import Foundation
import Testing
import WirehookCore
import WirehookServer

/// The SSRF guard through the real server: literal addresses refused when an endpoint is saved,
/// names refused on the address they resolve to when a delivery is attempted.
// Serialized: each test starts a server, and the suite runs beside timing-sensitive ones.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct TargetGuardTests {
    /// The guard as shipped: nothing private allowed.
    static func guarded(_ adjust: (inout ServerConfiguration) -> Void = { _ in }) async throws -> TestServer {
        var configuration = try TestServer.makeConfiguration(retry: "100ms")
        configuration.targets = TargetPolicy()
        adjust(&configuration)
        return try await TestServer.start(configuration)
    }

    static let literalForms = [
        "http://2130706433/hook", "http://0x7f.0.0.1/hook", "http://017700000001/hook", "http://127.1/hook",
        "http://127.0.0.1:8080/hook", "http://[::ffff:127.0.0.1]/hook", "http://[::1]:9000/hook", "http://0.0.0.0/hook",
        "http://[::]/hook", "http://10.0.0.1/admin", "http://192.168.0.10/", "http://100.64.1.1/",
        "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://[fe80::1]/", "http://[fc00::1]/",
        "http://224.0.0.1/", "http://255.255.255.255/",
    ]

    @Test func everyLiteralSpellingIsRefusedOnCreateAndUpdate() async throws {
        let server = try await Self.guarded()
        defer { Task { try await server.stop() } }
        let (id, _) = try await server.api.createWebhook(url: "https://hooks.example.com/in")
        for url in Self.literalForms {
            let created = try await server.api.post("/webhooks", ["url": .string(url), "events": ["*"]])
            #expect(created.status == 422, "POST \(url): \(created.status) \(created.rawText)")
            #expect(created.errorCode != nil)
            let message = created.json["error"]?["message"]?.stringValue ?? ""
            #expect(message.contains("WIREHOOK_ALLOWED_TARGETS"), "POST \(url): \(message)")
            let updated = try await server.api.request(.PATCH, "/webhooks/\(id)", json: ["url": .string(url)])
            #expect(updated.status == 422, "PATCH \(url): \(updated.status) \(updated.rawText)")
        }
        #expect(try await server.api.get("/webhooks/\(id)")["webhook"]?["url"] == "https://hooks.example.com/in")
        let lan = try await server.api.post("/webhooks", ["url": "http://10.0.0.1/", "events": ["*"]])
        #expect(lan.json["error"]?["message"]?.stringValue?.contains("WIREHOOK_ALLOW_PRIVATE_TARGETS=true") == true)
    }

    /// `localhost` passes the create check (it is a name) and is refused once resolved.
    @Test func aNameThatResolvesToLoopbackIsRefusedAtDeliveryAndLogged() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await Self.guarded()
        defer { Task { try await server.stop() } }
        let (id, _) = try await server.api.createWebhook(url: "http://localhost:\(receiver.port)/hook")
        try await server.api.sendEvent("user.created")
        let list = try await server.api.waitForDeliveries(webhookID: id) { $0.first?["status"] == "failed" }
        #expect(list[0]["attempts"] == 2, "a refused target follows the retry schedule like any failure")
        let detail = try await server.api.get("/webhooks/\(id)/deliveries/\(list[0]["id"]?.stringValue ?? "")")
        let errors = detail["delivery"]?["attempt_log"]?.arrayValue?.compactMap { $0["error"]?.stringValue } ?? []
        #expect(errors.count == 2)
        for error in errors {
            #expect(error.contains("blocked by the SSRF guard: localhost resolves to"), "\(error)")
            #expect(error.contains("loopback"), "\(error)")
            #expect(error.contains("WIREHOOK_ALLOWED_TARGETS"), "\(error)")
        }
        #expect(receiver.count == 0, "nothing reached the loopback receiver")
    }

    @Test func anAllowedCIDRAndAnAllowedNameAreDelivered() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await Self.guarded {
            $0.targets = (try? TargetPolicy.parse(allowPrivate: nil, allowedTargets: "127.0.0.0/8,localhost").get()) ?? TargetPolicy()
        }
        defer { Task { try await server.stop() } }
        _ = try await server.api.createWebhook(url: receiver.url)
        _ = try await server.api.createWebhook(url: "http://localhost:\(receiver.port)/by-name")
        // An odd spelling of an allowed address connects to the address the guard read.
        _ = try await server.api.createWebhook(url: "http://0x7f.1:\(receiver.port)/odd-spelling")
        // Outside the allowed block, still refused.
        #expect(try await server.api.post("/webhooks", ["url": "http://10.0.0.1/", "events": ["*"]]).status == 422)
        #expect(try await server.api.post("/webhooks", ["url": "http://[::1]/", "events": ["*"]]).status == 422)
        try await server.api.sendEvent("user.created")
        let got = try await receiver.waitFor(count: 3)
        #expect(Set(got.map(\.path)) == ["/hook", "/by-name", "/odd-spelling"])
    }

    @Test func allowPrivateStillRefusesMetadata() async throws {
        let server = try await Self.guarded { $0.targets = .allowingPrivate }
        defer { Task { try await server.stop() } }
        #expect(try await server.api.post("/webhooks", ["url": "http://127.0.0.1:1/", "events": ["*"]]).status == 201)
        #expect(try await server.api.post("/webhooks", ["url": "http://[::1]:1/", "events": ["*"]]).status == 201)
        for url in ["http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://[::ffff:169.254.169.254]/"] {
            let reply = try await server.api.post("/webhooks", ["url": .string(url), "events": ["*"]])
            #expect(reply.status == 422, "\(url): \(reply.rawText)")
            #expect(reply.json["error"]?["message"]?.stringValue?.contains("metadata") == true, "\(reply.rawText)")
        }
    }

    @Test func aPanelSettingWithAPrivateLiteralStopsStartUp() async throws {
        var configuration = try TestServer.makeConfiguration()
        configuration.targets = TargetPolicy()
        configuration.environment = [
            "WEBHOOK_ENABLED": "true", "WEBHOOK_URL": "http://10.0.0.7:3000/hook",
            "WEBHOOK_SECRET_HEADER": "abcdefghijklmnopqrstuvwxyz0123456789",
        ]
        do {
            let server = try await TestServer.start(configuration)
            try await server.stop()
            Issue.record("the server started with a private compat URL")
        } catch let error as ConfigurationError {
            #expect(error.message.contains("10.0.0.7"), "\(error.message)")
            #expect(error.message.contains("WIREHOOK_ALLOWED_TARGETS"), "\(error.message)")
        }
    }

    @Test func settingsAreReadFromTheEnvironment() throws {
        #expect(try ServerConfiguration.fromEnvironment([:]).targets == TargetPolicy(), "on by default")
        let configured = try ServerConfiguration.fromEnvironment([
            "WIREHOOK_ALLOW_PRIVATE_TARGETS": "true", "WIREHOOK_ALLOWED_TARGETS": "169.254.169.254, hooks.lan",
        ])
        #expect(configured.targets.allowPrivate)
        #expect(configured.targets.allowedHosts == ["hooks.lan"])
        #expect(throws: ConfigurationError.self) { try ServerConfiguration.fromEnvironment(["WIREHOOK_ALLOWED_TARGETS": "10.0.0.0/40"]) }
    }
}
