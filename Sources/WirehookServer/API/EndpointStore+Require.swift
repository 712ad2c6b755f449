import WirehookCore

extension EndpointStore {
    /// The endpoint, or the API's 404 naming the id (cut short, since it came from the path).
    func requireEndpoint(_ id: String) async throws -> Endpoint {
        guard id.utf8.count <= 100, let endpoint = try await endpoint(id: id) else {
            throw WirehookError.notFound("no webhook with id '\(id.prefix(100))'")
        }
        return endpoint
    }
}
