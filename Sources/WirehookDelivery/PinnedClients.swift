import AsyncHTTPClient
import WirehookCore

/// HTTP clients that connect a host name to one checked address, so a name's second DNS answer
/// can never be the one connected to.
///
/// Why clients and not a rewritten URL: AsyncHTTPClient 1.37 has no hook to see or choose the
/// address a connection uses, but its `dnsOverride` (per client) connects to the given address
/// while Host, SNI and certificate validation stay on the name. Rewriting an https URL to the IP
/// would check the certificate against the IP and fail. So there is one client per (name,
/// address) pair in use, each with its own small pool; idle ones beyond `capacity` are shut
/// down, and when every cached client is busy a request gets a client of its own for the call.
actor PinnedClients {
    struct Key: Hashable {
        let host: String
        let address: IPAddress
    }

    struct Entry {
        let client: HTTPClient
        var inFlight: Int
        var lastUsed: UInt64
    }

    let capacity: Int
    let makeClient: @Sendable ([String: String]) -> HTTPClient
    private var entries: [Key: Entry] = [:]
    private var clock: UInt64 = 0
    private var closed = false

    init(capacity: Int = 128, makeClient: @escaping @Sendable ([String: String]) -> HTTPClient) {
        self.capacity = capacity
        self.makeClient = makeClient
    }

    /// A client for `host` pinned to `address`; hand it back with `release`.
    func lease(host: String, address: IPAddress) -> (client: HTTPClient, transient: Bool) {
        clock &+= 1
        let key = Key(host: host, address: address)
        let override = [host: "\(address)"]
        if var entry = entries[key] {
            entry.inFlight += 1
            entry.lastUsed = clock
            entries[key] = entry
            return (entry.client, false)
        }
        if closed { return (makeClient(override), true) }
        if entries.count >= capacity {
            let idle = entries.filter { $0.value.inFlight == 0 }.min { $0.value.lastUsed < $1.value.lastUsed }
            guard let idle else { return (makeClient(override), true) }
            entries[idle.key] = nil
            Self.close(idle.value.client)
        }
        let client = makeClient(override)
        entries[key] = Entry(client: client, inFlight: 1, lastUsed: clock)
        return (client, false)
    }

    func release(host: String, address: IPAddress, client: HTTPClient, transient: Bool) {
        if transient {
            Self.close(client)
            return
        }
        let key = Key(host: host, address: address)
        guard var entry = entries[key] else { return }
        entry.inFlight = max(entry.inFlight - 1, 0)
        entries[key] = entry
    }

    /// Shuts every cached client down; later leases get one-off clients.
    func shutdown() async {
        closed = true
        let clients = entries.values.map(\.client)
        entries = [:]
        for client in clients { try? await client.shutdown() }
    }

    /// Without waiting: an evicted client has no requests left, and its shutdown only closes idle sockets.
    private static func close(_ client: HTTPClient) {
        _ = client.shutdown()
    }
}
