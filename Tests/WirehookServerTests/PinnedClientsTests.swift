import AsyncHTTPClient
import Testing
import WirehookCore

@testable import WirehookDelivery

/// The cache of clients pinned to checked addresses: reuse, a bound, and no client shut down
/// under a request that is using it.
struct PinnedClientsTests {
    @Test func reusesBoundsAndNeverEvictsABusyClient() async throws {
        let pinned = PinnedClients(capacity: 1) { HTTPSender.makeClient(dnsOverride: $0) }
        let a = try #require(IPAddress(host: "192.0.2.1"))
        let b = try #require(IPAddress(host: "192.0.2.2"))

        let first = await pinned.lease(host: "a.example", address: a)
        let again = await pinned.lease(host: "a.example", address: a)
        #expect(!first.transient)
        #expect(first.client === again.client, "the same name and address share one client and its pool")

        // The only slot is busy: a new pair gets a client of its own for the call.
        let busy = await pinned.lease(host: "b.example", address: b)
        #expect(busy.transient)
        #expect(busy.client !== first.client)
        await pinned.release(host: "b.example", address: b, client: busy.client, transient: true)

        await pinned.release(host: "a.example", address: a, client: first.client, transient: false)
        await pinned.release(host: "a.example", address: a, client: again.client, transient: false)
        // Now idle, the old pair makes room for the new one.
        let replaced = await pinned.lease(host: "b.example", address: b)
        #expect(!replaced.transient)
        #expect(replaced.client !== first.client)
        await pinned.release(host: "b.example", address: b, client: replaced.client, transient: false)
        await pinned.shutdown()
    }
}
