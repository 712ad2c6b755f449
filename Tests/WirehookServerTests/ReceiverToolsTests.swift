import Foundation
import Synchronization
import Testing
import WirehookCore

/// `wirehook verify`, `wirehook listen` and `wirehook simulate`, run as the real binary against
/// real deliveries.
@Suite(.timeLimit(.minutes(2)))
struct ReceiverToolsTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    /// Runs the binary to completion; returns its exit status and everything it printed.
    static func run(_ arguments: [String], input: [UInt8] = []) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run(ServerProcess.binaryPath, arguments, input: input)
    }

    @Test func verifyAcceptsARealDeliveryAndRejectsATamperedOne() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        _ = try await server.api.createWebhook(url: receiver.url, secret: Self.secret)
        try await server.api.sendEvent("user.created", data: ["username": "алиса", "url": "https://x/y"])
        let delivery = try await receiver.waitFor(count: 1)[0]
        let headers = ["webhook-id", "webhook-timestamp", "webhook-signature"].flatMap { name in
            ["-H", "\(name): \(delivery.header(name) ?? "")"]
        }
        let good = try await Self.run(["verify", "--format", "standard", "--secret", Self.secret] + headers, input: delivery.body)
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.contains("verified"))
        var tampered = delivery.body
        tampered[tampered.count / 2] ^= 0x01
        let bad = try await Self.run(["verify", "--format", "standard", "--secret", Self.secret] + headers, input: tampered)
        #expect(bad.status == 1)
        #expect(bad.output.contains("not verified"))
        let wrongSecret = try await Self.run(
            ["verify", "--format", "standard", "--secret", "whsec_" + String(repeating: "A", count: 32)] + headers,
            input: delivery.body)
        #expect(wrongSecret.status == 1)
    }

    @Test func listenVerifiesAndPrintsEachDelivery() async throws {
        let output = TemporaryDirectory.make() + "/listen.log"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let listener = Process()
        listener.executableURL = URL(fileURLWithPath: ServerProcess.binaryPath)
        listener.arguments = ["listen", "--port", "0", "--format", "standard", "--secret", Self.secret]
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        listener.standardOutput = handle
        listener.standardError = handle
        try listener.run()
        defer { listener.terminate() }
        func printed() -> String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }
        var port: Int?
        for _ in 0..<100 where port == nil {
            if let range = printed().range(of: "Listening on http://127.0.0.1:") {
                port = Int(printed()[range.upperBound...].prefix(while: \.isNumber))
            } else {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        let listenPort = try #require(port, "listen never said where it listens: \(printed())")

        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let (good, _) = try await server.api.createWebhook(url: "http://127.0.0.1:\(listenPort)/good", secret: Self.secret)
        let (bad, _) = try await server.api.createWebhook(
            url: "http://127.0.0.1:\(listenPort)/bad", secret: "whsec_" + String(repeating: "B", count: 32))
        try await server.api.sendEvent("user.created", data: ["username": "bob"])
        _ = try await server.api.waitForDeliveries(webhookID: good) { $0.first?["status"] == "success" }
        let rejected = try await server.api.waitForDeliveries(webhookID: bad) { $0.first?["response_status"] == 401 }
        #expect(rejected.first?["status"] != "success", "a 401 from the listener is a failed attempt")
        let text = printed()
        #expect(text.contains("POST /good") && text.contains("verified"), "\(text)")
        #expect(text.contains("POST /bad") && text.contains("REJECTED"), "\(text)")
        #expect(text.contains(#""username": "bob""#), "the body is pretty-printed")
    }

    @Test func simulateSendsSignedPanelWebhooksThatWirehookAccepts() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await PanelIngestTests.start()
        defer { Task { try await server.stop() } }
        _ = try await server.api.createWebhook(url: receiver.url, events: ["*"])
        let result = try await Self.run([
            "simulate", "--panel", "remnawave", "--rate", "50", "--count", "6", "--url", server.baseURL,
            "--secret", PanelIngestTests.remnawaveSecret,
        ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("6 accepted, 0 failed"))
        let got = try await receiver.waitFor(count: 6)
        #expect(Set(got.compactMap { $0.json?["type"]?.stringValue }).count > 1, "a mix of event types")
        let wrong = try await Self.run([
            "simulate", "--panel", "remnawave", "--rate", "50", "--count", "1", "--url", server.baseURL,
            "--secret", String(repeating: "x", count: 64),
        ])
        #expect(wrong.status == 1, "a wrong panel secret is refused and reported")
    }

    /// The secret need not be an argument (arguments show in `ps`): a file or the environment.
    @Test func verifyReadsTheSecretFromAFileOrTheEnvironmentAndRefusesAmbiguity() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        _ = try await server.api.createWebhook(url: receiver.url, secret: Self.secret)
        try await server.api.sendEvent("user.created", data: ["username": "carol"])
        let delivery = try await receiver.waitFor(count: 1)[0]
        let headers = ["webhook-id", "webhook-timestamp", "webhook-signature"].flatMap { name in
            ["-H", "\(name): \(delivery.header(name) ?? "")"]
        }
        let directory = TemporaryDirectory.make()
        let file = directory + "/endpoint.secret"
        // Written as `echo` would, with a trailing newline that is not part of the secret.
        try (Self.secret + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let wrongFile = directory + "/wrong.secret"
        try ("whsec_" + String(repeating: "A", count: 32)).write(toFile: wrongFile, atomically: true, encoding: .utf8)

        let fromFile = try await Self.run(["verify", "--format", "standard", "--secret-file", file] + headers, input: delivery.body)
        #expect(fromFile.status == 0, "\(fromFile.output)")
        let fromWrongFile = try await Self.run(
            ["verify", "--format", "standard", "--secret-file", wrongFile] + headers, input: delivery.body)
        #expect(fromWrongFile.status == 1, "the file's secret is the one used: \(fromWrongFile.output)")

        let fromEnvironment = try await ChildProcess.run(
            ServerProcess.binaryPath, ["verify", "--format", "standard"] + headers, input: delivery.body,
            environment: ["WIREHOOK_SECRET": Self.secret])
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.output)")
        let flagOverrides = try await ChildProcess.run(
            ServerProcess.binaryPath, ["verify", "--format", "standard", "--secret-file", file] + headers,
            input: delivery.body, environment: ["WIREHOOK_SECRET": "whsec_" + String(repeating: "B", count: 32)])
        #expect(flagOverrides.status == 0, "a flag overrides the variable: \(flagOverrides.output)")

        let both = try await Self.run(
            ["verify", "--format", "standard", "--secret", Self.secret, "--secret-file", file] + headers, input: delivery.body)
        #expect(both.status != 0 && both.output.contains("not both"), "\(both.output)")
        let none = try await ChildProcess.run(
            ServerProcess.binaryPath, ["verify", "--format", "standard"] + headers, input: delivery.body,
            environment: ["WIREHOOK_SECRET": ""])
        #expect(none.status != 0 && none.output.contains("--secret-file") && none.output.contains("WIREHOOK_SECRET"), "\(none.output)")
        let missing = try await Self.run(
            ["verify", "--format", "standard", "--secret-file", directory + "/absent"] + headers, input: delivery.body)
        #expect(missing.status != 0 && missing.output.contains("cannot read"), "\(missing.output)")
        #expect(!missing.output.contains(Self.secret) && !both.output.contains(Self.secret), "errors never echo the secret")
    }

    @Test func simulateAndListenTakeTheSecretFromTheEnvironment() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await PanelIngestTests.start()
        defer { Task { try await server.stop() } }
        _ = try await server.api.createWebhook(url: receiver.url, events: ["*"])
        let simulated = try await ChildProcess.run(
            ServerProcess.binaryPath,
            ["simulate", "--panel", "remnawave", "--rate", "50", "--count", "2", "--url", server.baseURL],
            environment: ["WIREHOOK_SECRET": PanelIngestTests.remnawaveSecret])
        #expect(simulated.status == 0, "\(simulated.output)")
        #expect(simulated.output.contains("2 accepted, 0 failed"))
        let listenWithout = try await ChildProcess.run(
            ServerProcess.binaryPath, ["listen", "--port", "0", "--format", "standard"], environment: ["WIREHOOK_SECRET": ""])
        #expect(listenWithout.status != 0 && listenWithout.output.contains("--secret-file"), "\(listenWithout.output)")
    }
}
