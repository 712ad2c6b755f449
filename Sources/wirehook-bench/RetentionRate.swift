import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import WirehookCore
import WirehookPostgres

/// `retention`: how fast PostgreSQL retention removes a day of finished deliveries (issue 12,
/// item 4: it must keep up with the delivery rate). The same number of rows is removed twice:
/// once row by row, the way a day still holding a pending delivery is purged (and every day was
/// before partitioning), and once as the dropped partitions of a day with nothing pending.
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Time PostgreSQL retention of a day of finished deliveries, row by row and by dropping the day.")

    @Option(help: "PostgreSQL URL; give it an empty database (whole days of its tables are dropped).")
    var databaseURL: String
    @Option(help: "Finished deliveries to remove each way.") var deliveries = 100_000

    func validate() throws {
        guard (1_000...10_000_000).contains(deliveries) else { throw ValidationError("--deliveries must be 1000 to 10000000") }
    }

    func run() async throws {
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let client = PostgresClient(configuration: try PostgresStore.configuration(url: databaseURL))
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await client.run() }
            let store = PostgresStore(client: client, logger: logger)
            try await store.migrate()
            try await measure(store, client: client)
            group.cancelAll()
        }
    }

    private func measure(_ store: PostgresStore, client: PostgresClient) async throws {
        // Rows belong to the database's day, so the clock here is the real one and the cutoff
        // is two days ahead: today is then wholly past it.
        let now = Date()
        let cutoff = now.addingTimeInterval(2 * 86_400)
        try await store.insertEndpoint(
            Endpoint(
                id: "wh_retention", url: "http://127.0.0.1:9/r", events: ["*"], description: "", active: true,
                format: "standard", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", createdAt: now, updatedAt: now))
        let clock = ContinuousClock()

        log("filling \(deliveries) delivered deliveries, one kept pending")
        var held = try await fillDelivered(store, count: deliveries, keepPending: true, now: now)
        var began = clock.now
        var rowByRow = 0
        while true {
            let removed = try await store.purge(olderThan: cutoff, keysExpiredBefore: now, batchSize: 1000)
            rowByRow += removed
            if removed < 1000 { break }
        }
        let rowSeconds = seconds(began.duration(to: clock.now))

        log("filling \(deliveries) more, then finishing the pending one so the day can go")
        _ = try await fillDelivered(store, count: deliveries, keepPending: false, now: now)
        held = try await finish(store, held, now: now)
        began = clock.now
        let leftover = try await store.purge(olderThan: cutoff, keysExpiredBefore: now, batchSize: 1000)
        let dropSeconds = seconds(began.duration(to: clock.now))
        let remaining = try await client.query("SELECT COUNT(*)::BIGINT FROM deliveries", logger: Logger(label: "bench"))
        var left: Int64 = -1
        for try await count in remaining.decode(Int64.self) { left = count }
        guard left == 0 else { throw ValidationError("the day was not dropped: \(left) deliveries left") }

        let result: [String: Any] = [
            "deliveries": deliveries, "row_by_row_removed": rowByRow, "row_by_row_s": rowSeconds,
            "row_by_row_per_s": Double(rowByRow) / max(rowSeconds, 1e-6), "drop_s": dropSeconds,
            "drop_rows_removed_by_delete": leftover, "drop_per_s": Double(deliveries + held) / max(dropSeconds, 1e-6),
        ]
        let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }

    /// Ingests `count` events to the one endpoint and records every delivery delivered, except
    /// one left pending when `keepPending`; returns how many were left pending.
    private func fillDelivered(_ store: PostgresStore, count: Int, keepPending: Bool, now: Date) async throws -> Int {
        try await EventFill.ingest(store, count: count, type: "user.created", at: now)
        var pending = 0
        while true {
            let claimed = try await store.claimDue(
                ClaimRequest(
                    now: now, limit: 1000, leaseUntil: now.addingTimeInterval(600), owner: "bench",
                    maxPerEndpoint: 1000, inFlight: [:]))
            if claimed.isEmpty { break }
            let records = claimed.map { delivery in
                let hold = keepPending && pending == 0
                if hold { pending = 1 }
                return AttemptRecord(
                    deliverySequence: delivery.sequence, endpointID: delivery.endpointID,
                    attempt: Attempt(attemptedAt: now, responseStatus: hold ? 503 : 200, responseTimeMs: 3, error: nil, responseBody: []),
                    next: hold ? .retry(at: now.addingTimeInterval(3600)) : .delivered)
            }
            try await store.record(records, health: Self.health)
        }
        return pending
    }

    /// Delivers what `fillDelivered` left pending.
    private func finish(_ store: PostgresStore, _ pending: Int, now: Date) async throws -> Int {
        let later = now.addingTimeInterval(3601)
        let claimed = try await store.claimDue(
            ClaimRequest(
                now: later, limit: 1000, leaseUntil: later.addingTimeInterval(600), owner: "bench",
                maxPerEndpoint: 1000, inFlight: [:]))
        guard claimed.count == pending else { throw ValidationError("expected \(pending) pending, found \(claimed.count)") }
        try await store.record(
            claimed.map {
                AttemptRecord(
                    deliverySequence: $0.sequence, endpointID: $0.endpointID,
                    attempt: Attempt(attemptedAt: later, responseStatus: 200, responseTimeMs: 3, error: nil, responseBody: []),
                    next: .delivered)
            }, health: Self.health)
        return pending
    }

    static let health = HealthPolicy(breakerThreshold: 0, disableAfter: nil, probeWaits: [.seconds(1)])

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func log(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
