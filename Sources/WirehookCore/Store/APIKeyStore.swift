import struct Foundation.Date

/// Scoped API keys, kept as hashes.
public protocol APIKeyStore: Sendable {
    func insertAPIKey(_ key: APIKey) async throws
    /// Every key, oldest first.
    func apiKeys() async throws -> [APIKey]
    func apiKey(hash: String) async throws -> APIKey?
    func deleteAPIKey(id: String) async throws -> Bool
    func touchAPIKey(id: String, at date: Date) async throws
}
