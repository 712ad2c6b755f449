import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// A receiver that answers 200 at once and notes when each delivery arrived, by its
/// `webhook-id` (the event id), on the same clock the sender uses.
final class ArrivalReceiver: Sendable {
    private let arrivals = Mutex<[String: ContinuousClock.Instant]>([:])

    var count: Int { arrivals.withLock { $0.count } }

    func arrival(of id: String) -> ContinuousClock.Instant? { arrivals.withLock { $0[id] } }

    /// The first arrival counts: a retry would only hide the first attempt's latency.
    private func note(_ id: String, at instant: ContinuousClock.Instant) {
        arrivals.withLock { if $0[id] == nil { $0[id] = instant } }
    }

    /// Runs until cancelled; `ready` gets the port it listens on.
    func run(ready: @escaping @Sendable (Int) async -> Void) async throws {
        let router = Router()
        router.post("/**") { request, _ -> Response in
            let now = ContinuousClock.now
            if let id = request.headers[HTTPField.Name("webhook-id")!] { self.note(id, at: now) }
            return Response(status: .ok)
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "bench-receiver"),
            onServerRunning: { channel in await ready(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "bench-receiver", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.runService()
    }
}
