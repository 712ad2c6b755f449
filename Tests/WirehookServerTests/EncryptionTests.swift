import Foundation
import GRDB
import Testing
import WirehookCore
import WirehookServer

/// Endpoint secrets at rest: sealed with `WIREHOOK_ENCRYPTION_KEY`, upgraded and rotated at
/// start, and a missing key stops the start instead of signing with garbage.
@Suite(.timeLimit(.minutes(3)))
struct EncryptionTests {
    static let keyA = Data((0..<32).map { UInt8($0) }).base64EncodedString()
    static let keyB = Data((0..<32).map { UInt8(255 - $0) }).base64EncodedString()

    static func configuration(keys: String?, reuse: ServerConfiguration? = nil) throws -> ServerConfiguration {
        var configuration = try reuse ?? TestServer.makeConfiguration()
        configuration.secrets = try keys.map(SecretBox.parse) ?? SecretBox()
        return configuration
    }

    /// The endpoint columns exactly as the database holds them.
    static func storedColumns(_ configuration: ServerConfiguration) throws -> [String] {
        if let url = configuration.databaseURL {
            let text = try TestDatabase.query(url, "SELECT url, secret, COALESCE(previous_secret, '') FROM endpoints")
            return text.split(whereSeparator: { $0 == "\n" || $0 == "|" }).map(String.init).filter { !$0.isEmpty }
        }
        let queue = try DatabaseQueue(path: configuration.dataDirectory + "/wirehook.sqlite")
        return try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT url, secret, previous_secret FROM endpoints").flatMap { row -> [String] in
                let url: String = row["url"]
                let secret: String = row["secret"]
                let previous: String? = row["previous_secret"]
                return [url, secret] + (previous.map { [$0] } ?? [])
            }
        }
    }

    /// Everything the database holds: the SQLite file and its WAL, or a dump of the endpoints table.
    static func rawBytes(_ configuration: ServerConfiguration) throws -> [UInt8] {
        if let url = configuration.databaseURL {
            return Array(try TestDatabase.query(url, "SELECT e::text FROM endpoints e").utf8)
        }
        var bytes: [UInt8] = []
        for name in ["wirehook.sqlite", "wirehook.sqlite-wal"] {
            if let data = FileManager.default.contents(atPath: configuration.dataDirectory + "/" + name) { bytes += data }
        }
        return bytes
    }

    @Test func noSecretNorDiscordTokenReachesTheDatabase() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let configuration = try Self.configuration(keys: Self.keyA)
        let server = try await TestServer.start(configuration)
        let api = server.api
        let standard = try await api.createWebhook(url: receiver.url, events: ["user.created"])
        let token = "tok3nDiscordS3cretValue"
        _ = try await api.createWebhook(url: receiver.url + "/1234/" + token, events: ["user.created"], format: "discord")
        // A rotation with a grace period fills previous_secret, which is sealed too.
        let rotated = try await api.post("/webhooks/\(standard.id)/rotate-secret", ["grace_seconds": 3600])
        let newSecret = try #require(rotated["webhook"]?["secret"]?.stringValue)
        try await api.sendEvent("user.created")
        let received = try await receiver.waitFor(count: 2)
        let signed = try #require(received.first { $0.header("webhook-signature") != nil })
        try WebhookVerifierCheck.standard(signed, secret: newSecret)
        try WebhookVerifierCheck.standard(signed, secret: standard.secret)
        try await server.stop()

        let raw = try Self.rawBytes(configuration)
        // Booleans first, so a failure names the secret instead of printing the whole file.
        let sealedSeen = APIKeysTests.contains(raw, Array("enc:v1:".utf8))
        #expect(sealedSeen, "the check reads where the secrets are")
        for secret in [standard.secret, newSecret, token, "whsec_"] {
            let leaked = APIKeysTests.contains(raw, Array(secret.utf8))
            #expect(!leaked, "\(secret.prefix(10))… is in the database")
        }
        let columns = try Self.storedColumns(configuration)
        #expect(columns.count == 5, "two urls, two secrets, one previous secret")
        #expect(columns.allSatisfy { $0.hasPrefix("enc:v1:") })
    }

    @Test func startingWithoutTheKeyOrWithAnotherIsAClearError() async throws {
        let configuration = try Self.configuration(keys: Self.keyA)
        let server = try await TestServer.start(configuration)
        _ = try await server.api.createWebhook(url: "https://example.com/hook")
        try await server.stop()

        for keys in [nil, Self.keyB] {
            let error = await #expect(throws: (any Error).self) {
                let again = try await TestServer.start(try Self.configuration(keys: keys, reuse: configuration))
                try await again.stop()
            }
            #expect("\(error.map { "\($0)" } ?? "")".contains("WIREHOOK_ENCRYPTION_KEY"), "\(String(describing: error))")
        }
        // With the key back, it starts and the endpoint reads as before.
        let restored = try await TestServer.start(try Self.configuration(keys: Self.keyA, reuse: configuration))
        #expect(try await restored.api.get("/webhooks")["webhooks"]?.arrayValue?.first?["url"] == "https://example.com/hook")
        try await restored.stop()
    }

    @Test func aPlainDatabaseIsSealedAndAKeyListReseals() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let plain = try Self.configuration(keys: nil)
        var server = try await TestServer.start(plain)
        let created = try await server.api.createWebhook(url: receiver.url, events: ["user.created"])
        try await server.stop()
        #expect(try Self.storedColumns(plain).contains(created.secret), "stored in plain text without a key")

        // First start with a key: the plain row is sealed under it.
        server = try await TestServer.start(try Self.configuration(keys: Self.keyA, reuse: plain))
        try await server.stop()
        let idA = SecretBox.keyIDForTesting(Self.keyA)
        let idB = SecretBox.keyIDForTesting(Self.keyB)
        var columns = try Self.storedColumns(plain)
        #expect(!columns.isEmpty && columns.allSatisfy { $0.hasPrefix("enc:v1:\(idA):") }, "\(columns)")

        // A new key first, the old one after: everything moves to the new key.
        server = try await TestServer.start(try Self.configuration(keys: "\(Self.keyB), \(Self.keyA)", reuse: plain))
        try await server.stop()
        columns = try Self.storedColumns(plain)
        #expect(!columns.isEmpty && columns.allSatisfy { $0.hasPrefix("enc:v1:\(idB):") }, "\(columns)")

        // So the old key can go, and deliveries still verify with the unchanged secret.
        server = try await TestServer.start(try Self.configuration(keys: Self.keyB, reuse: plain))
        try await server.api.sendEvent("user.created")
        let received = try await receiver.waitFor(count: 1)
        try WebhookVerifierCheck.standard(try #require(received.first), secret: created.secret)
        try await server.stop()
    }

    @Test func badKeysAreRefusedAtConfiguration() throws {
        for text in ["", "not base64!", Data(repeating: 1, count: 16).base64EncodedString(), Self.keyA + ",short"] {
            #expect(throws: ConfigurationError.self) { _ = try SecretBox.parse(text) }
        }
        let box = try SecretBox.parse(Self.keyA)
        let sealed = box.seal("whsec_abc")
        #expect(sealed != box.seal("whsec_abc"), "a fresh nonce each time")
        #expect(try box.open(sealed) == "whsec_abc")
        // A flipped character (away from the base64 padding bits) fails authentication instead of decrypting to something else.
        var bytes = Array(sealed.utf8)
        bytes[bytes.count - 12] = bytes[bytes.count - 12] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: ConfigurationError.self) { _ = try box.open(String(decoding: bytes, as: UTF8.self)) }
    }
}
