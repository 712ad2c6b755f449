/// The columns of one endpoint row that `SecretBox` seals, as stored (sealed or not).
///
/// The URL is sealed for every format: Discord's token is its last path segment, and any
/// receiver may put a token in the query or the user info.
public struct EndpointSecrets: Sendable, Equatable {
    public var id: String
    public var url: String
    public var secret: String
    public var previousSecret: String?

    public init(id: String, url: String, secret: String, previousSecret: String?) {
        self.id = id
        self.url = url
        self.secret = secret
        self.previousSecret = previousSecret
    }

    /// The same columns sealed under the box's first key, or nil when they already are.
    /// Throws when a column is sealed under a key the box does not hold.
    public func resealed(with box: SecretBox) throws(ConfigurationError) -> EndpointSecrets? {
        let columns = [url, secret] + (previousSecret.map { [$0] } ?? [])
        guard box.isEnabled else {
            // Without a key nothing is rewritten, but a sealed row still has to open.
            for column in columns { _ = try box.open(column) }
            return nil
        }
        guard columns.contains(where: box.needsReseal) else { return nil }
        return EndpointSecrets(
            id: id, url: box.seal(try box.open(url)), secret: box.seal(try box.open(secret)),
            previousSecret: box.seal(try box.open(previousSecret)))
    }
}
