import ArgumentParser
import Foundation
import Histogram
import Logging
import PostgresNIO
import WirehookCore
import WirehookPostgres
import WirehookSQLite

/// `claim-backlog`: how long one claim takes while one endpoint, already at its cap, has a long
/// backlog due before everyone else's work (issue 12, item 4). A claim that walked that backlog
/// to reach the others took 174 ms with 300,000 rows on PostgreSQL.
struct ClaimBacklogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claim-backlog",
        abstract: "Time claims while one capped endpoint has a long due backlog; print percentiles.")

    @Option(help: "sqlite or postgres.") var store = "sqlite"
    @Option(help: "PostgreSQL URL (with --store postgres); its tables are used as found, so give it an empty database.")
    var databaseURL: String?
    @Option(help: "Due deliveries of the capped endpoint.") var backlog = 300_000
    @Option(help: "Claims to time.") var claims = 200

    func run() async throws {
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        switch store {
        case "sqlite":
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "wirehook-claim-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let sqlite = try SQLiteStore(path: directory.appendingPathComponent("bench.sqlite").path)
            try await measure(sqlite)
        case "postgres":
            guard let databaseURL else { throw ValidationError("--database-url is needed with --store postgres") }
            let client = PostgresClient(configuration: try PostgresStore.configuration(url: databaseURL))
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { await client.run() }
                let postgres = PostgresStore(client: client, logger: logger)
                try await postgres.migrate()
                try await measure(postgres)
                group.cancelAll()
            }
        default:
            throw ValidationError("--store is sqlite or postgres")
        }
    }

    private func measure(_ store: some WebhookStore) async throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        func endpoint(_ id: String, events: [String]) -> Endpoint {
            Endpoint(
                id: id, url: "http://127.0.0.1:9/\(id)", events: events, description: "", active: true,
                format: "standard", secret: secret, createdAt: start, updatedAt: start)
        }
        try await store.insertEndpoint(endpoint("wh_capped", events: ["backlog.filled"]))
        let others = ["wh_a", "wh_b", "wh_c"]
        for id in others { try await store.insertEndpoint(endpoint(id, events: ["user.created"])) }

        let limit = 64
        let cap = 48
        // The backlog falls due first, so a claim that scans the due queue in order meets it first.
        FileHandle.standardError.write(Data("filling \(backlog) due deliveries for one endpoint\n".utf8))
        try await EventFill.ingest(store, count: backlog, type: "backlog.filled", at: start)
        // Enough work behind it for every timed claim to find some.
        try await EventFill.ingest(
            store, count: (claims * limit) / others.count + limit, type: "user.created", at: start.addingTimeInterval(60))

        let health = HealthPolicy(probeWaits: RetryPolicy.default.delays)
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        let clock = ContinuousClock()
        let now = start.addingTimeInterval(3600)
        var claimed = 0
        for round in 0..<claims {
            let request = ClaimRequest(
                now: now, limit: limit, leaseUntil: now.addingTimeInterval(600), owner: "bench-\(round)",
                maxPerEndpoint: cap, inFlight: ["wh_capped": cap])
            let began = clock.now
            let taken = try await store.claimDue(request)
            let took = began.duration(to: clock.now)
            _ = histogram.record(UInt64(min(60_000_000, max(0, took / .microseconds(1)))))
            claimed += taken.count
            if taken.contains(where: { $0.endpointID == "wh_capped" }) {
                throw ValidationError("a claim took work from the endpoint at its cap")
            }
            // As a worker does before its next claim, record what was taken (untimed), so the
            // other endpoints have nothing in flight; only the capped one stays at its cap.
            let delivered = taken.map {
                AttemptRecord(
                    deliverySequence: $0.sequence, endpointID: $0.endpointID,
                    attempt: Attempt(attemptedAt: now, responseStatus: 200, responseTimeMs: 1, error: nil, responseBody: []),
                    next: .delivered)
            }
            try await store.record(delivered, health: health)
        }
        func ms(_ percentile: Double) -> Double { Double(histogram.valueAtPercentile(percentile)) / 1000 }
        let result: [String: Any] = [
            "store": store is SQLiteStore ? "sqlite" : "postgres", "backlog": backlog, "claims": claims,
            "claimed": claimed, "p50_ms": ms(50), "p99_ms": ms(99), "max_ms": Double(histogram.max) / 1000,
        ]
        let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }
}
