import NIOPosix
import WirehookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves a delivery's host and picks the one address to connect to, refusing the target when
/// any address the name resolves to is blocked by the `TargetPolicy`.
///
/// Every address is checked, not just the first: a name that answers with a public and a private
/// address could otherwise win the check with one and connect to the other on a retry.
struct TargetGuard: Sendable {
    let policy: TargetPolicy
    let answers = ResolvedAddresses()
    /// What the guard decided for hosts that are addresses, nil for hosts that are names, so a
    /// busy endpoint's host is not parsed and checked on every attempt (about 8 % of the
    /// sender's time). An entry never goes stale: the policy is fixed for the guard's life.
    let literals = BoundedCache<String, Decision?>()

    enum Decision: Sendable {
        /// Connect to one of `addresses`, in order; `host` is what the URL names (for Host, SNI
        /// and certificates).
        case connect(host: String, addresses: [IPAddress], isLiteral: Bool)
        case refused(String)
    }

    func decide(host: String) async -> Decision {
        if let decision = literalDecision(host: host) { return decision }
        let addresses: [IPAddress]
        do {
            if let cached = answers.lookup(host) {
                addresses = cached
            } else {
                addresses = try await Self.resolve(host)
                answers.store(host, addresses)
            }
        } catch {
            return .refused("could not resolve \(host): \((error as? ResolveError)?.message ?? "\(error)")")
        }
        guard !addresses.isEmpty else { return .refused("\(host) resolves to no address") }
        for address in addresses {
            if let refusal = policy.refusal(host: host, address: address) { return .refused(Self.message(refusal)) }
        }
        return .connect(host: host, addresses: addresses, isLiteral: false)
    }

    /// The decision for a host that is an address, kept from an earlier one when there is one;
    /// nil for a name, which has to be resolved.
    func literalDecision(host: String) -> Decision? {
        literals.value(for: host) { decideLiteral(host: host) }
    }

    /// The decision for a host that is an address, or nil for a name. It depends on nothing but
    /// the host and the policy, so it is kept (`literals`).
    func decideLiteral(host: String) -> Decision? {
        guard let literal = IPAddress(host: host) else { return nil }
        if let refusal = policy.refusal(host: host, address: literal) { return .refused(Self.message(refusal)) }
        // Only the canonical spelling goes to the client as written: any other (`2130706433`,
        // `0x7f.1`) is pinned to the address parsed here, so no second parser can read it
        // differently from the one that was checked.
        return .connect(host: host, addresses: [literal], isLiteral: "\(literal)" == host)
    }

    static func message(_ refusal: TargetPolicy.Refusal) -> String { "blocked by the SSRF guard: \(refusal)" }

    struct ResolveError: Error { let message: String }

    /// `getaddrinfo` blocks, so it runs on NIO's thread pool rather than an event loop or the
    /// cooperative pool; the caller's deadline still bounds the wait.
    static func resolve(_ host: String) async throws -> [IPAddress] {
        try await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            #else
            hints.ai_socktype = SOCK_STREAM
            #endif
            var result: UnsafeMutablePointer<addrinfo>? = nil
            let status = getaddrinfo(host, nil, &hints, &result)
            guard status == 0 else {
                throw ResolveError(message: String(cString: gai_strerror(status)))
            }
            defer { freeaddrinfo(result) }
            var addresses: [IPAddress] = []
            var cursor = result
            while let info = cursor {
                defer { cursor = info.pointee.ai_next }
                guard let socketAddress = info.pointee.ai_addr else { continue }
                switch info.pointee.ai_family {
                case AF_INET:
                    let bytes = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) }
                    }
                    if let address = IPAddress(bytes: bytes), !addresses.contains(address) { addresses.append(address) }
                case AF_INET6:
                    let bytes = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                    }
                    if let address = IPAddress(bytes: bytes), !addresses.contains(address) { addresses.append(address) }
                default: continue
                }
            }
            return addresses
        }
    }
}

/// Recent answers of `getaddrinfo`, so a busy endpoint is not one blocking lookup per attempt.
///
/// Safe for the guard: what is cached is what gets checked and connected to. Kept briefly (the
/// system resolver does not say a record's TTL) and bounded, cleared whole when full.
final class ResolvedAddresses: Sendable {
    static let lifetime: Duration = .seconds(30)

    private struct Answer: Sendable {
        var addresses: [IPAddress]
        var until: ContinuousClock.Instant
    }

    private let entries = BoundedCache<String, Answer>()

    func lookup(_ host: String) -> [IPAddress]? {
        guard let entry = entries.value(for: host), entry.until > ContinuousClock.now else { return nil }
        return entry.addresses
    }

    func store(_ host: String, _ addresses: [IPAddress]) {
        entries.store(Answer(addresses: addresses, until: ContinuousClock.now + Self.lifetime), for: host)
    }
}
