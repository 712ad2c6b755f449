import Crypto
import Foundation
import WirehookVerify

/// A scoped API key as stored: its hash, never the key itself.
public struct APIKey: Sendable, Equatable {
    public static let prefix = "whk_"

    public var id: String
    public var name: String
    public var scopes: [APIScope]
    /// SHA-256 of the key, hex. Keys are 32 random bytes, so a plain hash is enough: there is
    /// nothing to brute-force that a slow password hash would protect.
    public var hash: String
    public var createdAt: Date
    public var lastUsedAt: Date?

    public init(id: String, name: String, scopes: [APIScope], hash: String, createdAt: Date, lastUsedAt: Date?) {
        self.id = id
        self.name = name
        self.scopes = scopes
        self.hash = hash
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }

    /// A new key: the stored record and the secret to show the caller once.
    public static func generate(name: String, scopes: [APIScope], now: Date) -> (key: APIKey, secret: String) {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let secret = prefix + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let key = APIKey(
            id: Identifier.make(prefix: "key_", at: now), name: name, scopes: scopes, hash: hash(of: secret),
            createdAt: now, lastUsedAt: nil)
        return (key, secret)
    }

    public static func hash(of secret: String) -> String { HashID.of(secret) }

    /// Constant time, so a response's timing says nothing about how much of a hash matched.
    public func matches(_ secret: String) -> Bool {
        HMACSignature.constantTimeEquals(Array(Self.hash(of: secret).utf8), Array(hash.utf8))
    }

    /// `admin` includes every scope.
    public func allows(_ scope: APIScope) -> Bool {
        scopes.contains(.admin) || scopes.contains(scope)
    }

    /// The stored form of the scopes: space-separated names (no scope contains a space).
    public var scopesText: String { scopes.map(\.rawValue).joined(separator: " ") }

    /// Reads the stored form; names this version does not know are dropped, so they grant nothing.
    public static func scopes(fromText text: String) -> [APIScope] {
        text.split(separator: " ").compactMap { APIScope(rawValue: String($0)) }
    }

    /// `last_used_at` is written at most once per this interval, so a busy key does not turn
    /// every request into a database write.
    public static let touchInterval: TimeInterval = 60

    public func needsTouch(now: Date) -> Bool {
        guard let lastUsedAt else { return true }
        return now.timeIntervalSince(lastUsedAt) >= Self.touchInterval
    }
}
