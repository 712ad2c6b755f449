import AsyncHTTPClient
import ServiceLifecycle

import WirehookDelivery

/// Owns the outgoing HTTP clients' lifetime: shut down after the worker that uses them has stopped.
struct HTTPClientService: Service {
    let sender: HTTPSender

    func run() async throws {
        try? await gracefulShutdown()
        try await sender.shutdown()
    }
}
