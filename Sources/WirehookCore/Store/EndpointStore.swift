/// Subscribers: where deliveries go and what they want.
public protocol EndpointStore: Sendable {
    func insertEndpoint(_ endpoint: Endpoint) async throws
    func updateEndpoint(_ endpoint: Endpoint) async throws
    func deleteEndpoint(id: String) async throws -> Bool
    func endpoint(id: String) async throws -> Endpoint?
    /// Every endpoint, oldest first.
    func endpoints() async throws -> [Endpoint]
}
