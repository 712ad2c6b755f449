import Foundation
import WirehookCore

/// Events put straight into a store for a benchmark's starting state, 1,000 per transaction (the
/// ingest queue's batching), fanned out to every subscribed endpoint in the standard format.
enum EventFill {
    static func ingest(_ store: some WebhookStore, count: Int, type: String, at date: Date) async throws {
        let fanOut = FanOut(formats: .standard)
        var left = count
        while left > 0 {
            let size = min(1000, left)
            let events = (0..<size).map { i in
                NewEvent(
                    event: Event(
                        id: Identifier.make(prefix: "evt_", at: date), type: type, occurredAt: date,
                        data: ["n": .int(left - i), "username": "bench"]),
                    callerSuppliedID: false)
            }
            _ = try await store.ingest(events, now: date) { fanOut.plan($0, endpoints: $1, now: date) }
            left -= size
        }
    }
}
