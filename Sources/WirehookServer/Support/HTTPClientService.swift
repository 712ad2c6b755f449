import AsyncHTTPClient
import ServiceLifecycle

/// Owns the outgoing HTTP client's lifetime: shut down after the worker that uses it has stopped.
struct HTTPClientService: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
