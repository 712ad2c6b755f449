import Crypto
import Foundation
import WirehookVerify

/// Encrypts endpoint secrets for the database with AES-GCM under `WIREHOOK_ENCRYPTION_KEY`.
///
/// A sealed value reads `enc:v1:<key id>:<base64 of nonce, ciphertext and tag>`. The key id
/// (derived from the key, not secret) says which configured key opens it, so a list of keys can
/// rotate: the first seals, every one opens. With no key, values are stored as given. Both stores
/// call this through `EndpointRow` and `ClaimedDelivery`, so they keep only SQL.
public struct SecretBox: Sendable {
    public static let environmentName = "WIREHOOK_ENCRYPTION_KEY"
    static let prefix = "enc:v1:"

    struct Key: Sendable {
        var id: String
        var key: SymmetricKey
    }

    let keys: [Key]

    /// No key: values pass through in plain text.
    public init() { keys = [] }

    public init(keys: [[UInt8]]) {
        self.keys = keys.map { Key(id: Self.keyID($0), key: SymmetricKey(data: $0)) }
    }

    /// Parses the variable: base64 of 32 bytes, several separated by commas, the new key first.
    public static func parse(_ text: String) throws(ConfigurationError) -> SecretBox {
        var keys: [[UInt8]] = []
        for (index, part) in text.split(separator: ",").enumerated() {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let data = Data(base64Encoded: trimmed), data.count == 32 else {
                throw ConfigurationError(
                    "\(environmentName): key \(index + 1) is not base64 of 32 bytes (make one with `openssl rand -base64 32`)")
            }
            keys.append(Array(data))
        }
        guard !keys.isEmpty else { throw ConfigurationError("\(environmentName) is set but holds no key") }
        return SecretBox(keys: keys)
    }

    public var isEnabled: Bool { !keys.isEmpty }

    /// A short public name for a key: a hash of it, so a stored value can say which key opens it
    /// without saying anything about the key.
    static func keyID(_ key: [UInt8]) -> String {
        String(HMACSignature.hexEncode(Array(SHA256.hash(data: Array("wirehook-key-id:".utf8) + key))).prefix(12))
    }

    /// The id a base64 key is stored under, so tests can tell which key sealed a value.
    public static func keyIDForTesting(_ base64: String) -> String {
        keyID(Array(Data(base64Encoded: base64) ?? Data()))
    }

    public static func isSealed(_ value: String) -> Bool { value.hasPrefix(prefix) }

    public func seal(_ plaintext: String) -> String {
        guard let key = keys.first else { return plaintext }
        // A sealing failure means the crypto library is broken; storing plain text instead would
        // silently break the promise, so it ends the process.
        let box = try! AES.GCM.seal(Array(plaintext.utf8), using: key.key)
        return Self.prefix + key.id + ":" + Data(box.combined!).base64EncodedString()
    }

    public func seal(_ plaintext: String?) -> String? { plaintext.map { seal($0) } }

    /// Plain text passes through (rows written before a key was configured); a sealed value
    /// needs its key, or this throws an error naming the variable, never returns garbage.
    public func open(_ stored: String) throws(ConfigurationError) -> String {
        guard Self.isSealed(stored) else { return stored }
        let rest = stored.dropFirst(Self.prefix.count)
        guard let colon = rest.firstIndex(of: ":") else { throw ConfigurationError("a stored secret is damaged") }
        let id = String(rest[..<colon])
        guard let key = keys.first(where: { $0.id == id }) else {
            throw ConfigurationError(
                keys.isEmpty
                    ? "the database holds secrets encrypted with key '\(id)' but \(Self.environmentName) is not set; set it to the key used before"
                    : "the database holds secrets encrypted with key '\(id)', which is not in \(Self.environmentName); add the old key after the new one")
        }
        guard let data = Data(base64Encoded: String(rest[rest.index(after: colon)...])),
            let box = try? AES.GCM.SealedBox(combined: data),
            let plain = try? AES.GCM.open(box, using: key.key)
        else {
            throw ConfigurationError(
                "a stored secret does not decrypt with key '\(id)' from \(Self.environmentName): the data or the key is wrong")
        }
        return String(decoding: plain, as: UTF8.self)
    }

    public func open(_ stored: String?) throws(ConfigurationError) -> String? {
        guard let stored else { return nil }
        return try open(stored)
    }

    /// Whether a stored value should be rewritten: plain text while a key is configured, or
    /// sealed under a key other than the first.
    public func needsReseal(_ stored: String) -> Bool {
        guard let first = keys.first else { return false }
        return !stored.hasPrefix(Self.prefix + first.id + ":")
    }
}

extension SecretBox: CustomStringConvertible, CustomDebugStringConvertible {
    /// Logs and dumps (swift-service-lifecycle prints its services at debug) never show the keys.
    public var description: String { "SecretBox(\(keys.count) key\(keys.count == 1 ? "" : "s"))" }
    public var debugDescription: String { description }
}
