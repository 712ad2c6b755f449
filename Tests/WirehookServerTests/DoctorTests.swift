import Foundation
import Testing
import WirehookAdmin
import WirehookCore

/// `wirehook doctor` run as the real binary beside a real server, on its real database.
@Suite(.timeLimit(.minutes(2)))
struct DoctorTests {
    static func doctor(_ arguments: [String], environment: [String: String] = [:]) async throws -> CLIRun {
        // Doctor reads the server's settings; a developer's PostgreSQL must not leak in.
        try await CLIRun.run(["doctor", "--timeout", "3s", "--json"] + arguments, environment: environment)
    }

    static func checks(_ run: CLIRun) -> [JSONValue] { run.json?["checks"]?.arrayValue ?? [] }

    static func find(_ run: CLIRun, _ section: String, _ name: String) -> JSONValue? {
        checks(run).first { $0["section"]?.stringValue == section && $0["name"]?.stringValue == name }
    }

    @Test func reportsDatabaseServerAndEachEndpoint() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let directory = TemporaryDirectory.make()
        let server = try await ServerProcess.start(dataDirectory: directory)
        defer { server.kill9() }
        let (good, _) = try await server.api.createWebhook(url: receiver.url)
        // A port nothing listens on: TCP must fail for this one only.
        let (closed, _) = try await server.api.createWebhook(url: "http://127.0.0.1:1/hook")
        try await server.api.sendEvent("user.created")
        _ = try await receiver.waitFor(count: 1)

        let run = try await Self.doctor(
            ["--data-dir", directory, "--server", server.baseURL],
            environment: ["WIREHOOK_ALLOW_PRIVATE_TARGETS": "true"])
        #expect(run.status == ExitStatus.failure.rawValue, "the closed port is something to fix: \(run.all)")
        #expect(Self.find(run, "server", "ready")?["level"]?.stringValue == "ok", "\(run.stdout)")
        #expect(Self.find(run, "database", "reachable")?["level"]?.stringValue == "ok")
        #expect(Self.find(run, "database", "migrations")?["detail"]?.stringValue?.hasPrefix("current") == true)
        #expect(Self.find(run, "database", "size")?["detail"]?.stringValue?.contains("KiB") == true, "\(run.stdout)")
        #expect(Self.find(run, "database", "pending deliveries") != nil)
        #expect(Self.find(run, "endpoint \(good)", "DNS")?["level"]?.stringValue == "ok")
        #expect(Self.find(run, "endpoint \(good)", "TCP")?["level"]?.stringValue == "ok")
        #expect(Self.find(run, "endpoint \(good)", "HTTP")?["detail"]?.stringValue?.contains("answered") == true, "\(run.stdout)")
        let tcp = try #require(Self.find(run, "endpoint \(closed)", "TCP"), "\(run.stdout)")
        #expect(tcp["level"]?.stringValue == "fail")
        #expect(tcp["fix"]?.stringValue?.contains("port 1") == true)
        #expect(Self.find(run, "configuration", "SSRF guard")?["level"]?.stringValue == "warn")
        #expect(Self.find(run, "configuration", "encryption")?["level"]?.stringValue == "warn")

        // Without the server's private-target setting the guard's refusal is named as the problem.
        let guarded = try await Self.doctor(["--data-dir", directory, "--server", server.baseURL])
        let refusal = try #require(Self.find(guarded, "endpoint \(good)", "SSRF guard"), "\(guarded.stdout)")
        #expect(refusal["level"]?.stringValue == "fail")
        #expect(refusal["fix"]?.stringValue?.contains("WIREHOOK_ALLOWED_TARGETS") == true)

        // The text report names what to fix.
        let text = try await CLIRun.run(
            ["doctor", "--timeout", "3s", "--data-dir", directory, "--server", server.baseURL],
            environment: ["WIREHOOK_ALLOW_PRIVATE_TARGETS": "true"])
        #expect(text.stdout.contains("FAIL") && text.stdout.contains("fix: make sure the receiver listens on port 1"), "\(text.stdout)")
    }

    @Test func aMissingDatabaseAndAStoppedServerAreReported() async throws {
        let empty = TemporaryDirectory.make()
        let run = try await Self.doctor(["--data-dir", empty, "--server", "http://127.0.0.1:1", "--skip-endpoints"])
        #expect(run.status == ExitStatus.failure.rawValue, "\(run.all)")
        let database = try #require(Self.find(run, "database", "reachable"), "\(run.stdout)")
        #expect(database["level"]?.stringValue == "fail")
        #expect(database["fix"]?.stringValue?.contains("--data-dir") == true)
        #expect(Self.find(run, "server", "ready")?["level"]?.stringValue == "warn")

        let badSetting = try await Self.doctor(["--data-dir", empty], environment: ["WIREHOOK_TIMEOUT": "soon"])
        #expect(badSetting.status == ExitStatus.failure.rawValue)
        #expect(Self.find(badSetting, "configuration", "settings")?["detail"]?.stringValue?.contains("WIREHOOK_TIMEOUT") == true,
            "\(badSetting.stdout)")
    }
}
