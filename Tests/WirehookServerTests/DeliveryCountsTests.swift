import Foundation
import Testing
import WirehookCore
import WirehookTestSupport

/// `stats` reads counters kept per endpoint and day; `recountStats` counts the deliveries. A
/// seeded run of every kind of change (ingest, attempts that succeed, retry or fail, requeues,
/// retention, an endpoint deleted), from two stores on one database as two processes would,
/// must leave the two agreeing after each step. Runs on SQLite, and on PostgreSQL in its pass.
@Suite(.timeLimit(.minutes(3)))
struct DeliveryCountsTests {
    enum Change: CaseIterable {
        case ingest, attempts, requeue, retention, deleteEndpoint
    }

    @Test func theCountersAgreeWithARecountAfterEveryKindOfChange() async throws {
        try await StoreTests.withStores(2) { stores, _, _ in
            var rng = SplitMix64(seed: 0xC0_0A7E)
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            let endpoints = ["wh_a", "wh_b", "wh_c"]
            for id in endpoints { try await stores[0].insertEndpoint(StoreTests.endpoint(id, at: start)) }
            var clock = start
            var done: [Change: Int] = [:]
            var sawFailed = false
            var sawSucceeded = false
            for step in 0..<60 {
                clock = clock.addingTimeInterval(Double(Int.random(in: 0..<(2 * 86_400), using: &rng)))
                let store = stores[Int.random(in: 0..<2, using: &rng)]
                let change: Change
                switch Int.random(in: 0..<20, using: &rng) {
                case 0..<7: change = .ingest
                case 7..<15: change = .attempts
                case 15..<17: change = .requeue
                case 17..<19: change = .retention
                default: change = step > 40 && done[.deleteEndpoint] == nil ? .deleteEndpoint : .ingest
                }
                switch change {
                case .ingest:
                    try await StoreTests.ingest(store, count: Int.random(in: 1...6, using: &rng), at: clock, tag: "\(step)")
                case .attempts:
                    let at = clock.addingTimeInterval(1)
                    let claims = try await StoreTests.claimUpTo100(store, at: at)
                    let records = claims.map { claim in
                        let roll = Int.random(in: 0..<20, using: &rng)
                        let next: AttemptRecord.Next =
                            roll < 12 ? .delivered
                            : roll < 17 ? .retry(at: at.addingTimeInterval(Double(Int.random(in: 1...600, using: &rng))))
                            : .failed
                        let attempt = Attempt(
                            attemptedAt: at, responseStatus: roll < 12 ? 200 : 500,
                            responseTimeMs: Int.random(in: 1...900, using: &rng), error: nil, responseBody: [])
                        return AttemptRecord(
                            deliverySequence: claim.sequence, endpointID: claim.endpointID, attempt: attempt, next: next)
                    }
                    try await store.record(records, health: StoreTests.health)
                case .requeue:
                    let status: Delivery.Status? = Bool.random(using: &rng) ? .failed : nil
                    _ = try await store.requeue(
                        Requeue(endpointID: endpoints.randomElement(using: &rng)!, status: status, now: clock))
                case .retention:
                    _ = try await store.purge(
                        olderThan: clock.addingTimeInterval(-10 * 86_400), keysExpiredBefore: clock, batchSize: 7)
                case .deleteEndpoint:
                    #expect(try await store.deleteEndpoint(id: "wh_b"))
                }
                done[change, default: 0] += 1

                for id in endpoints {
                    let kept = try await stores[0].stats(endpointID: id, now: clock)
                    let counted = try await stores[1].recountStats(endpointID: id, now: clock)
                    let context = Comment(rawValue: "step \(step) (\(change)), \(id)")
                    #expect(kept.total == counted.total, context)
                    #expect(kept.successful == counted.successful, context)
                    #expect(kept.failed == counted.failed, context)
                    #expect(kept.pending == counted.pending, context)
                    #expect(kept.averageResponseTimeMs == counted.averageResponseTimeMs, context)
                    #expect(kept.last30Days == counted.last30Days, context)
                    // The counters remember the latest time seen on a day that still has rows;
                    // the rows may have moved on (a requeued failure) or gone (retention).
                    for (remembered, current) in [
                        (kept.lastDelivery, counted.lastDelivery), (kept.lastSuccessful, counted.lastSuccessful),
                        (kept.lastFailed, counted.lastFailed),
                    ] {
                        if let current { #expect(remembered.map { $0 >= current } == true, context) }
                    }
                    // A page of the log gives its total from the counters too.
                    for status in [nil] + Delivery.Status.allCases {
                        let page = try await stores[0].deliveries(DeliveryQuery(endpointID: id, limit: 1, status: status))
                        #expect(page.total == counted.count(of: status), context)
                        // The rows come from the indexes (on SQLite a partial one for all but
                        // successes), so they must agree with the counts too.
                        #expect(page.deliveries.isEmpty == (counted.count(of: status) == 0), context)
                        if let status { #expect(page.deliveries.allSatisfy { $0.status == status }, context) }
                    }
                    sawFailed = sawFailed || counted.failed > 0
                    sawSucceeded = sawSucceeded || counted.successful > 0
                }
            }
            for change in Change.allCases { #expect(done[change, default: 0] > 0, "the run never made a \(change)") }
            #expect(sawFailed && sawSucceeded)
            let gone = try await stores[0].stats(endpointID: "wh_b", now: clock)
            #expect(gone == DeliveryStats(), "a deleted endpoint's counts go with it")
        }
    }

    /// Two stores (on PostgreSQL, two processes' connection pools and shards) ingesting, claiming
    /// and recording at the same time add into the same endpoints' counts; none is lost.
    @Test func concurrentWritersLoseNoCount() async throws {
        try await StoreTests.withStores(2) { stores, _, _ in
            let now = Date()
            let endpoints = ["wh_x", "wh_y"]
            for id in endpoints { try await stores[0].insertEndpoint(StoreTests.endpoint(id, at: now)) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (n, store) in stores.enumerated() {
                    group.addTask {
                        for round in 0..<15 {
                            try await StoreTests.ingest(store, count: 4, at: now, tag: "\(n)-\(round)")
                            let claims = try await StoreTests.claimUpTo100(store, at: now.addingTimeInterval(1))
                            try await store.record(
                                claims.enumerated().map { i, claim in
                                    AttemptRecord(
                                        deliverySequence: claim.sequence, endpointID: claim.endpointID,
                                        attempt: StoreTests.attempt(at: now, status: i % 3 == 0 ? 500 : 200),
                                        next: i % 3 == 0 ? .failed : .delivered)
                                }, health: StoreTests.health)
                        }
                    }
                }
                try await group.waitForAll()
            }
            for id in endpoints {
                let kept = try await stores[1].stats(endpointID: id, now: now)
                let counted = try await stores[0].recountStats(endpointID: id, now: now)
                #expect(kept.total == 120, "2 writers × 15 rounds × 4 events")
                #expect(kept.total == counted.total && kept.pending == counted.pending)
                #expect(kept.successful == counted.successful && kept.failed == counted.failed)
                #expect(kept.averageResponseTimeMs == counted.averageResponseTimeMs)
            }
        }
    }
}
