/// Subscribers: where deliveries go and what they want.
public protocol EndpointStore: Sendable {
    func insertEndpoint(_ endpoint: Endpoint) async throws
    func updateEndpoint(_ endpoint: Endpoint) async throws
    func deleteEndpoint(id: String) async throws -> Bool
    func endpoint(id: String) async throws -> Endpoint?
    /// Every endpoint, oldest first.
    func endpoints() async throws -> [Endpoint]
    /// The sealable columns as stored, ordered by id, a page after `id` at a time.
    func endpointSecrets(after id: String?, limit: Int) async throws -> [EndpointSecrets]
    /// Rewrites the sealable columns of one endpoint (after a key change), only if they still
    /// hold `old`: an edit by another process in between wins over the rewrite.
    func writeEndpointSecrets(_ new: EndpointSecrets, replacing old: EndpointSecrets) async throws
}
