import Foundation
import Testing
import WirehookCore
import WirehookServer

/// The panels' own settings become static endpoints on start.
@Suite(.timeLimit(.minutes(2)))
struct CompatConfigurationTests {
    static let secret = "vsmu67Kmg6R8FjIOF1WUY8LWBHie4scdEqrfsKmyf4IAf8dY3nFS0wwYHkhh6ZvQ"

    @Test func panelVariablesCreateStaticEndpoints() async throws {
        let yaml = TemporaryDirectory.make() + "/wirehook.yaml"
        try """
        webhook:
          url: https://wg.example.com/hook
          authentication: "Bearer abc123"
          timeout: 5s
        """.write(toFile: yaml, atomically: true, encoding: .utf8)
        var configuration = try TestServer.makeConfiguration()
        configuration.configPath = yaml
        configuration.environment = [
            "WEBHOOK_ENABLED": "true", "WEBHOOK_URL": "https://a.example.com/rw, http://b.example.com/rw",
            "WEBHOOK_SECRET_HEADER": Self.secret,
            "WEBHOOK_ADDRESS": "\"http://127.0.0.1:9000/,http://127.0.0.1:9001/\"", "WEBHOOK_SECRET": "something-very-very-secret",
            "JOB_SEND_NOTIFICATIONS_INTERVAL": "15", "DISCORD_WEBHOOK_URL": "https://discord.com/api/webhooks/1/x",
        ]
        let server = try await TestServer.start(configuration)
        let list = try #require(try await server.api.get("/webhooks")["webhooks"]?.arrayValue)
        func formats(_ name: String) -> [JSONValue] { list.filter { $0["format"]?.stringValue == name } }
        #expect(formats("remnawave").compactMap { $0["url"]?.stringValue }.sorted() == ["http://b.example.com/rw", "https://a.example.com/rw"])
        #expect(formats("marzban").count == 2)
        #expect(formats("marzban").allSatisfy { $0["options"]?["batch_interval_seconds"] == 15 })
        #expect(formats("discord").count == 1)
        let wg = try #require(formats("wg-portal").first)
        #expect(wg["url"] == "https://wg.example.com/hook")
        #expect(wg["options"]?["timeout_seconds"]?.doubleValue == 5)
        #expect(list.allSatisfy { $0["id"]?.stringValue?.hasPrefix("wh_compat_") == true })
        #expect(list.allSatisfy { $0["secret"] == "whsec_***masked***" })
        try await server.stop()

        // A second start updates in place and drops what is no longer configured.
        configuration.environment["DISCORD_WEBHOOK_URL"] = nil
        let again = try await TestServer.start(configuration)
        defer { Task { try await again.stop() } }
        let second = try #require(try await again.api.get("/webhooks")["webhooks"]?.arrayValue)
        #expect(second.count == list.count - 1)
        let secondIDs: Set<String> = Set(second.compactMap { $0["id"]?.stringValue })
        let firstIDs: Set<String> = Set(list.compactMap { $0["id"]?.stringValue })
        #expect(secondIDs.isSubset(of: firstIDs))
    }

    @Test(arguments: [
        (["WEBHOOK_ENABLED": "maybe"], "WEBHOOK_ENABLED"),
        (["WEBHOOK_ENABLED": "true", "WEBHOOK_SECRET_HEADER": secret], "WEBHOOK_URL"),
        (["WEBHOOK_ENABLED": "true", "WEBHOOK_URL": "ftp://x", "WEBHOOK_SECRET_HEADER": secret], "WEBHOOK_URL"),
        (["WEBHOOK_ENABLED": "true", "WEBHOOK_URL": "https://x.example", "WEBHOOK_SECRET_HEADER": "short-and-has-dashes"], "WEBHOOK_SECRET_HEADER"),
        (["WEBHOOK_ADDRESS": "http://x.example", "JOB_SEND_NOTIFICATIONS_INTERVAL": "soon"], "JOB_SEND_NOTIFICATIONS_INTERVAL"),
        (["DISCORD_WEBHOOK_URL": "discord"], "DISCORD_WEBHOOK_URL"),
    ])
    func badValuesStopStartUpNamingTheVariable(_ environment: [String: String], _ variable: String) throws {
        #expect {
            _ = try CompatConfiguration.load(environment: environment, yamlPath: nil, now: Date())
        } throws: { error in
            (error as? ConfigurationError)?.message.contains(variable) == true
        }
    }

    @Test func yamlAcceptsTheSeedsSecretKeyAndRejectsBadURLs() throws {
        let dir = TemporaryDirectory.make()
        try "webhook:\n  url: https://wg.example.com/h\n  secret: \"Basic dXNlcm5hbWU6cGFzc3dvcmQ=\"\n".write(
            toFile: dir + "/a.yaml", atomically: true, encoding: .utf8)
        let loaded = try CompatConfiguration.load(environment: [:], yamlPath: dir + "/a.yaml", now: Date())
        #expect(loaded.endpoints.first?.secret == "Basic dXNlcm5hbWU6cGFzc3dvcmQ=")
        #expect(loaded.endpoints.first?.format == "wg-portal")
        try "webhook:\n  url: not-a-url\n".write(toFile: dir + "/b.yaml", atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError.self) {
            try CompatConfiguration.load(environment: [:], yamlPath: dir + "/b.yaml", now: Date())
        }
    }
}
