import Foundation
import Testing
import WirehookCore
import WirehookVerify

/// Loads `shared/conformance/signatures.json` and checks every vector against signing and verification.
struct ConformanceTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var format: String
        var secret: String
        var body: String
        var id: String?
        var timestamp: Int64?
        var headers: [String: String]
        var testDescription: String { "\(format): \(body.prefix(40))" }
    }

    static func load() throws -> (cases: [Vector], mustFail: [Vector]) {
        let json = try JSONParser.parse(Array(try Data(contentsOf: SharedFiles.url("conformance/signatures.json"))))
        func vectors(_ key: String) -> [Vector] {
            (json[key]?.arrayValue ?? []).map { item in
                var headers: [String: String] = [:]
                for member in item["headers"]?.objectMembers ?? [] { headers[member.key] = member.value.stringValue }
                return Vector(
                    format: item["format"]?.stringValue ?? "", secret: item["secret"]?.stringValue ?? "",
                    body: item["body"]?.stringValue ?? "", id: item["webhook_id"]?.stringValue,
                    timestamp: item["webhook_timestamp"]?.intValue.map(Int64.init), headers: headers)
            }
        }
        return (vectors("cases"), vectors("must_fail"))
    }

    @Test func vectorsFileHasCasesForEveryDialect() throws {
        let (cases, mustFail) = try Self.load()
        #expect(Set(cases.map(\.format)) == ["standard", "remnawave", "vpn-enterprise", "marzban", "wg-portal"])
        #expect(!mustFail.isEmpty)
    }

    @Test func everyVectorVerifies() throws {
        for vector in try Self.load().cases {
            let verifier = try WebhookVerifier(formatName: vector.format, secret: vector.secret)
            let now = vector.timestamp.map { Date(timeIntervalSince1970: Double($0) + 10) } ?? Date()
            #expect(throws: Never.self, "\(vector.testDescription)") {
                try verifier.verify(body: Array(vector.body.utf8), headers: vector.headers, now: now)
            }
        }
    }

    @Test func mustFailVectorsAreRejected() throws {
        for vector in try Self.load().mustFail {
            let verifier = try WebhookVerifier(formatName: vector.format, secret: vector.secret)
            var headers = vector.headers
            if let id = vector.id { headers["webhook-id"] = id }
            if let ts = vector.timestamp { headers["webhook-timestamp"] = String(ts) }
            let now = vector.timestamp.map { Date(timeIntervalSince1970: Double($0)) } ?? Date()
            #expect(throws: VerificationError.signatureMismatch) {
                try verifier.verify(body: Array(vector.body.utf8), headers: headers, now: now)
            }
        }
    }

    /// Every format Wirehook signs reproduces the vector's headers (and, for batched Marzban, the
    /// body bytes) exactly.
    @Test func signingReproducesVectorHeaders() throws {
        let registry = FormatRegistry.standard
        var checked: Set<String> = []
        for vector in try Self.load().cases {
            let format = try #require(registry[vector.format], "no format \(vector.format)")
            let at = Date(timeIntervalSince1970: Double(vector.timestamp ?? 1_768_471_200))
            var stored = Array(vector.body.utf8)
            if format.batchInterval(options: .object([])) != nil {
                // A batch stores each element without `tries`; the request adds it back.
                let element = try #require(try JSONParser.parse(vector.body).arrayValue?.first)
                let members = try #require(element.objectMembers).filter { $0.key != "tries" }
                stored = JSONWriter.serialize(.object(members), style: .python)
            }
            let request = format.request(
                for: OutgoingRequest(
                    endpointURL: "https://receiver.example/hook", secret: vector.secret, options: .object([]),
                    items: [
                        OutgoingItem(
                            eventID: vector.id ?? "evt", eventType: "x",
                            occurredAt: Timestamp.parse(vector.headers["X-Remnawave-Timestamp"] ?? "") ?? at,
                            body: stored, previousAttempts: 0)
                    ], attemptedAt: at))
            #expect(String(decoding: request.body, as: UTF8.self) == vector.body, "\(vector.format) body")
            var produced: [String: String] = [:]
            for (name, value) in request.headers { produced[name.lowercased()] = value }
            for (name, value) in vector.headers {
                #expect(produced[name.lowercased()] == value, "\(vector.format) header \(name)")
            }
            checked.insert(vector.format)
        }
        #expect(checked == ["standard", "remnawave", "vpn-enterprise", "marzban", "wg-portal"])
    }

    @Test func standardVerifierRejectsStaleAndTamperedMessages() throws {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let headers = [
            "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330",
            "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        ]
        let verifier = WebhookVerifier(format: .standard, secret: secret)
        #expect(throws: VerificationError.timestampTooOld) {
            try verifier.verify(body: body, headers: headers, now: Date(timeIntervalSince1970: 1_614_265_330 + 301))
        }
        #expect(throws: VerificationError.signatureMismatch) {
            try verifier.verify(
                body: Array(#"{"test": 2432232315}"#.utf8), headers: headers,
                now: Date(timeIntervalSince1970: 1_614_265_330))
        }
        var rotated = headers
        rotated["webhook-signature"] = "v1,AAAA v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        #expect(throws: Never.self) {
            try verifier.verify(body: body, headers: rotated, now: Date(timeIntervalSince1970: 1_614_265_330))
        }
    }
}

/// Finds `shared/` beside the repository (or `WIREHOOK_SHARED_DIR`).
enum SharedFiles {
    static func url(_ relative: String) -> URL {
        if let dir = ProcessInfo.processInfo.environment["WIREHOOK_SHARED_DIR"] {
            return URL(fileURLWithPath: dir).appendingPathComponent(relative)
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.deletingLastPathComponent().appendingPathComponent("shared").appendingPathComponent(relative)
    }
}
