import Foundation
import Testing
import WirehookCore
@testable import WirehookSQLite

/// A claim commits without an fsync (its leases are released at start-up anyway); nothing else
/// may: the writer must be back at `synchronous=FULL` after every claim, failed or not.
@Suite(.timeLimit(.minutes(1)))
struct SQLiteClaimDurabilityTests {
    static let full = 2

    @Test func theWriterIsBackAtSynchronousFullAfterAClaim() async throws {
        let store = try SQLiteStore(path: TemporaryDirectory.make() + "/wirehook.sqlite")
        #expect(try await store.writerSynchronousSetting() == Self.full)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        try await store.insertEndpoint(StoreTests.endpoint("wh_sync", at: now))
        try await StoreTests.ingest(store, count: 3, at: now, tag: "sync")
        let claimed = try await StoreTests.claim(store, at: now, owner: "w", lease: 12)
        #expect(claimed.count == 3)
        #expect(try await store.writerSynchronousSetting() == Self.full)
    }

    @Test func theWriterIsBackAtSynchronousFullAfterAFailedUnflushedWrite() async throws {
        let store = try SQLiteStore(path: TemporaryDirectory.make() + "/wirehook.sqlite")
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await store.writeWithoutFsync { db -> Int in
                try db.execute(sql: "UPDATE endpoints SET description = 'x'")
                throw Refused()
            }
        }
        #expect(try await store.writerSynchronousSetting() == Self.full)
    }
}
