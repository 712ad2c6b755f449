import Logging
import PostgresNIO
import ServiceLifecycle
import WirehookCore

/// Runs the connection pool for as long as the service group lives.
public struct PostgresClientService: Service {
    let client: PostgresClient

    public init(client: PostgresClient) { self.client = client }

    public func run() async throws {
        await client.run()
    }
}

/// Holds one connection on `LISTEN wirehook_deliveries` and wakes the local worker whenever any
/// process commits new deliveries, so an idle worker does not wait for its poll interval.
public struct PostgresWakeListener: Service {
    let client: PostgresClient
    let wake: @Sendable () -> Void
    let logger: Logger

    public init(client: PostgresClient, logger: Logger, wake: @escaping @Sendable () -> Void) {
        self.client = client
        self.logger = logger
        self.wake = wake
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown {
                    try await client.withConnection { connection in
                        try await connection.listen(on: PostgresStore.notificationChannel) { notifications in
                            for try await _ in notifications { wake() }
                        }
                    }
                }
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                // The poll interval still finds work while the listener reconnects.
                logger.warning("LISTEN connection lost; reconnecting", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
