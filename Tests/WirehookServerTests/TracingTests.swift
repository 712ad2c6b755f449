import Foundation
import GRDB
import Testing
import WirehookCore

/// OpenTelemetry traces from the real binary to a local OTLP/HTTP receiver (JSON encoding), on
/// the store this pass runs on (SQLite, or PostgreSQL with `WIREHOOK_TEST_DATABASE_URL`).
@Suite(.timeLimit(.minutes(2)))
struct TracingTests {
    /// One span as OTLP/JSON carries it; ids are compared as written.
    struct ExportedSpan {
        var name: String
        var traceID: String
        var spanID: String
        var parentSpanID: String
        var attributes: [String: String]
        var linkedTraceIDs: [String]

        init(_ json: JSONValue) {
            name = json["name"]?.stringValue ?? ""
            traceID = Self.hexID(json["traceId"]?.stringValue)
            spanID = Self.hexID(json["spanId"]?.stringValue)
            parentSpanID = Self.hexID(json["parentSpanId"]?.stringValue)
            var attributes: [String: String] = [:]
            for attribute in json["attributes"]?.arrayValue ?? [] {
                guard let key = attribute["key"]?.stringValue, let value = attribute["value"] else { continue }
                attributes[key] =
                    value["stringValue"]?.stringValue ?? value["intValue"]?.stringValue
                    ?? value["intValue"].map { JSONWriter.string($0) } ?? JSONWriter.string(value)
            }
            self.attributes = attributes
            linkedTraceIDs = (json["links"]?.arrayValue ?? []).compactMap { $0["traceId"]?.stringValue }
                .map { Self.hexID($0) }
        }

        /// An id as lowercase hex, as a `traceparent` writes it: the OTLP/JSON spec says hex, but
        /// swift-otel's protobuf JSON writes base64 (16 or 8 bytes); both are read.
        static func hexID(_ text: String?) -> String {
            guard let text, !text.isEmpty else { return "" }
            guard let bytes = Data(base64Encoded: text), bytes.count == 16 || bytes.count == 8 else {
                return text.lowercased()
            }
            let digits = Array("0123456789abcdef")
            return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
        }

        static func all(in requests: [TestReceiver.Received]) -> [ExportedSpan] {
            requests.filter { $0.path == "/v1/traces" }.compactMap(\.json).flatMap { body in
                (body["resourceSpans"]?.arrayValue ?? []).flatMap { resource in
                    (resource["scopeSpans"]?.arrayValue ?? []).flatMap { scope in
                        (scope["spans"]?.arrayValue ?? []).map(ExportedSpan.init)
                    }
                }
            }
        }
    }

    static func environment(otlpPort: Int?) throws -> [String: String] {
        var environment: [String: String] = [:]
        if let url = try TestDatabase.makeIfEnabled() { environment["WIREHOOK_DATABASE_URL"] = url }
        if let otlpPort {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:\(otlpPort)"
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/json"
            environment["OTEL_BSP_SCHEDULE_DELAY"] = "100"
        }
        return environment
    }

    /// The services named in the exported resources (`service.name`).
    static func serviceNames(in requests: [TestReceiver.Received]) -> Set<String> {
        let resources = requests.filter { $0.path == "/v1/traces" }.compactMap(\.json).flatMap {
            $0["resourceSpans"]?.arrayValue ?? []
        }
        return Set(
            resources.flatMap { $0["resource"]?["attributes"]?.arrayValue ?? [] }
                .filter { $0["key"]?.stringValue == "service.name" }
                .compactMap { $0["value"]?["stringValue"]?.stringValue })
    }

    /// The `trace_parent` stored with each event, in the order they came in, on either store.
    static func storedTraceParents(dataDirectory: String, environment: [String: String]) throws -> [String?] {
        if let url = environment["WIREHOOK_DATABASE_URL"] {
            let rows = try TestDatabase.query(url, "SELECT coalesce(trace_parent, 'NULL') FROM events ORDER BY seq")
            return rows.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                .map { $0 == "NULL" ? nil : $0 }
        }
        let database = try DatabaseQueue(path: dataDirectory + "/wirehook.sqlite", configuration: {
            var configuration = Configuration()
            configuration.readonly = true
            return configuration
        }())
        return try database.read { try String?.fetchAll($0, sql: "SELECT trace_parent FROM events ORDER BY seq") }
    }

    @Test func ingestCommitClaimAndAttemptAreOneTraceExportedOverOTLP() async throws {
        let otlp = try await TestReceiver.start { _, _ in
            TestReceiver.Reply(headers: [("Content-Type", "application/json")], body: "{}")
        }
        let receiver = try await TestReceiver.start()
        defer {
            otlp.stop()
            receiver.stop()
        }
        let directory = TemporaryDirectory.make()
        let environment = try Self.environment(otlpPort: otlp.port)
        let server = try await ServerProcess.start(dataDirectory: directory, environment: environment)
        let (webhookID, secret) = try await server.api.createWebhook(url: receiver.url, events: ["user.created"])
        let sent = try await server.api.sendEvent("user.created", data: ["username": "alice"])
        let eventID = try #require(sent["event"]?["id"]?.stringValue)
        _ = try await receiver.waitFor(count: 1)
        let deliveries = try await server.api.waitForDeliveries(webhookID: webhookID) {
            $0.first?["status"] == "success"
        }
        let deliveryID = try #require(deliveries.first?["id"]?.stringValue)

        var spans: [ExportedSpan] = []
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            spans = ExportedSpan.all(in: otlp.received)
            if spans.contains(where: { $0.name == "wirehook.delivery.attempt" }) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let names = Set(spans.map(\.name))
        print("tracing: \(spans.count) spans exported: \(names.sorted())")
        let request = try #require(spans.first { $0.name == "/events" }, "the ingest request's span: \(names)")
        let commit = try #require(spans.first { $0.name == "wirehook.ingest.commit" }, "\(names)")
        let attempt = try #require(spans.first { $0.name == "wirehook.delivery.attempt" }, "\(names)")
        #expect(spans.contains { $0.name == "wirehook.claim" && $0.attributes["wirehook.claim.deliveries"] == "1" })

        #expect(commit.linkedTraceIDs.contains(request.traceID), "the commit links to the request it stored")
        #expect(attempt.traceID == request.traceID, "the attempt is in the ingest request's trace")
        #expect(attempt.parentSpanID == request.spanID)
        #expect(attempt.attributes["wirehook.delivery.id"] == deliveryID)
        #expect(attempt.attributes["wirehook.event.id"] == eventID)
        #expect(attempt.attributes["wirehook.endpoint.id"] == webhookID)
        #expect(attempt.attributes["http.response.status_code"] == "200")
        #expect(attempt.attributes["wirehook.delivery.outcome"] == "success")
        // Ids only: no secret, no receiver URL, no body in any span.
        let everything = spans.flatMap { $0.attributes.values }.joined(separator: " ")
        #expect(!everything.contains(secret) && !everything.contains("alice") && !everything.contains(receiver.url))

        #expect(Self.serviceNames(in: otlp.received) == ["wirehook"], "OTEL_SERVICE_NAME defaults to wirehook")

        // What another process would pick the trace up from: the request's own span, stored with the event.
        let stored = try Self.storedTraceParents(dataDirectory: directory, environment: environment)
        #expect(stored == ["00-\(request.traceID)-\(request.spanID)-01"], "\(stored)")
        #expect(await server.terminate() == 0)
    }

    @Test func withoutAnEndpointNothingIsTracedOrStored() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let directory = TemporaryDirectory.make()
        let environment = try Self.environment(otlpPort: nil)
        let server = try await ServerProcess.start(dataDirectory: directory, environment: environment)
        _ = try await server.api.createWebhook(url: receiver.url, events: ["user.created"])
        try await server.api.sendEvent("user.created")
        let delivered = try await receiver.waitFor(count: 1)
        #expect(delivered[0].header("traceparent") == nil, "deliveries carry no trace header either way")
        #expect(try Self.storedTraceParents(dataDirectory: directory, environment: environment) == [nil])
        #expect(await server.terminate() == 0)
    }
}
