import Foundation
import Logging
import Testing
import WirehookCore
import WirehookServer

/// `--log-format json|logfmt|text`: the real binary's log lines, read back.
@Suite(.timeLimit(.minutes(2)))
struct LogFormatTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let encryptionKey = Data(repeating: 0x5A, count: 32).base64EncodedString()

    /// Starts the binary with `format`, sends one event through it, and returns its log lines.
    static func logLines(format: String) async throws -> (lines: [String], event: String, delivery: String, endpoint: String) {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await ServerProcess.start(
            dataDirectory: TemporaryDirectory.make(),
            environment: [
                "WIREHOOK_LOG_FORMAT": format, "WIREHOOK_LOG_LEVEL": "debug", "WIREHOOK_ENCRYPTION_KEY": encryptionKey,
            ])
        let (endpoint, _) = try await server.api.createWebhook(url: receiver.url, secret: secret)
        let sent = try await server.api.sendEvent("user.created", data: ["username": "very-private-body-value"], id: "evt-log-1")
        #expect(sent.status == 202)
        let deliveries = try await server.api.waitForDeliveries(webhookID: endpoint) { $0.first?["status"] == "success" }
        let delivery = try #require(deliveries.first?["id"]?.stringValue)
        #expect(await server.terminate() == 0)
        let lines = server.output.split(separator: "\n").map(String.init).filter { !$0.contains("listening on") }
        #expect(!server.output.contains(secret), "a secret reached the log")
        #expect(!server.output.contains(TestServer.adminToken), "the admin token reached the log")
        #expect(!server.output.contains("very-private-body-value"), "an event body reached the log")
        #expect(!server.output.contains(encryptionKey), "the encryption key reached the log")
        #expect(!server.output.contains("90, 90, 90"), "the encryption key's bytes reached the log")
        return (lines, "evt-log-1", delivery, endpoint)
    }

    @Test func jsonLinesCarryRequestsAndAttemptsWithTheirIDs() async throws {
        let (lines, event, delivery, endpoint) = try await Self.logLines(format: "json")
        let records = lines.compactMap { try? JSONParser.parse($0) }
        let notJSON = lines.filter { line in !records.isEmpty && (try? JSONParser.parse(line)) == nil }
        #expect(records.count == lines.count, "every line is one JSON object: \(notJSON)")
        let requests = records.filter { $0["msg"]?.stringValue == "Request" }
        #expect(
            requests.contains { $0["http.path"]?.stringValue == "/events" && $0["http.status"]?.stringValue == "202" },
            "\(lines)")
        #expect(requests.allSatisfy { $0["level"]?.stringValue == "info" && $0["time"]?.stringValue != nil })
        let attempt = try #require(records.first { $0["msg"]?.stringValue == "Delivery attempt" }, "\(lines)")
        #expect(attempt["level"]?.stringValue == "debug")
        #expect(attempt["event.id"]?.stringValue == event)
        #expect(attempt["delivery.id"]?.stringValue == delivery)
        #expect(attempt["endpoint.id"]?.stringValue == endpoint)
        #expect(attempt["http.status"]?.stringValue == "200")
    }

    @Test func logfmtLinesAreKeyValuePairs() async throws {
        let (lines, event, delivery, _) = try await Self.logLines(format: "logfmt")
        #expect(lines.allSatisfy { $0.hasPrefix("time=") }, "\(lines)")
        let attempt = try #require(lines.first { $0.contains("msg=\"Delivery attempt\"") }, "\(lines)")
        #expect(attempt.contains("event.id=\(event)") && attempt.contains("delivery.id=\(delivery)"), "\(attempt)")
        #expect(lines.contains { $0.contains("msg=Request") && $0.contains("http.path=/events") })
    }

    @Test func formatFollowsTheTerminalUnlessToldAndRejectsUnknownNames() throws {
        #expect(try LogFormat.resolve(flag: nil, environment: [:], isTerminal: true) == .text)
        #expect(try LogFormat.resolve(flag: nil, environment: [:], isTerminal: false) == .json)
        #expect(try LogFormat.resolve(flag: nil, environment: ["WIREHOOK_LOG_FORMAT": "logfmt"], isTerminal: true) == .logfmt)
        #expect(try LogFormat.resolve(flag: "TEXT", environment: ["WIREHOOK_LOG_FORMAT": "json"], isTerminal: false) == .text)
        #expect(throws: ConfigurationError.self) { try LogFormat.resolve(flag: "xml", environment: [:], isTerminal: false) }
    }

    @Test func logfmtQuotesWhatWouldBreakALine() {
        let line = LineLogHandler.render(
            format: .logfmt, time: Date(timeIntervalSince1970: 0), level: .info, message: "two words",
            label: "wirehook", metadata: ["a.b": "x=\"y\"\nz", "plain": "ok"])
        #expect(line == #"time=1970-01-01T00:00:00.000Z level=info msg="two words" logger=wirehook a.b="x=\"y\"\nz" plain=ok"# + "\n")
    }
}
