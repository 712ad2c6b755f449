import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import WirehookCore

/// Sends one delivery as an HTTP POST with a hard deadline on the whole exchange.
///
/// Every attempt passes the SSRF guard first: the host is resolved here, every address is
/// checked, and the connection goes to a checked address. A canonical literal address goes
/// through `client` as written; a name (or an odd spelling of an address) goes through a client
/// from `PinnedClients` whose `dnsOverride` maps the name to that address, because
/// AsyncHTTPClient 1.37 offers no hook on the address it connects to and an https URL rewritten
/// to the IP would fail its certificate check.
public struct HTTPSender: Sendable {
    public static let userAgent = "Wirehook/\(WirehookVersion.current) (+https://github.com/wirehook/wirehook)"
    /// How much of a response body is kept for the attempt log.
    public static let loggedBodyLimit = 4096
    /// How much is read at most before the connection is dropped.
    static let readLimit = 64 * 1024

    let client: HTTPClient
    let targets: TargetGuard
    let pinned: PinnedClients
    /// Plain `http://` deliveries go out on these (see `PlainHTTP1Pool` for why); TLS through `client`.
    let plain: PlainHTTP1Pool
    let urls = ParsedURLs()

    /// `targets` is the SSRF guard; the default refuses private, loopback and metadata addresses.
    public init(client: HTTPClient, targets: TargetPolicy = TargetPolicy(), maxConnectionsPerHost: Int = 64) {
        self.client = client
        self.targets = TargetGuard(policy: targets)
        self.pinned = PinnedClients { override in
            Self.makeClient(maxConnectionsPerHost: maxConnectionsPerHost, dnsOverride: override)
        }
        self.plain = PlainHTTP1Pool(
            maxIdlePerKey: maxConnectionsPerHost, keptBodyLimit: Self.loggedBodyLimit, readLimit: Self.readLimit)
    }

    /// Shuts down the shared client and the clients pinned to resolved addresses.
    public func shutdown() async throws {
        await plain.shutdown()
        await pinned.shutdown()
        try await client.shutdown()
    }

    public static func makeClient(maxConnectionsPerHost: Int = 64, dnsOverride: [String: String] = [:]) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5)),
            connectionPool: .init(
                idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: maxConnectionsPerHost),
            decompression: .disabled)
        configuration.httpVersion = .http1Only
        // A refused connection is a failed attempt; the retry schedule, not the client, decides when to try again.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.dnsOverride = dnsOverride
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    public func send(url: String, headers: [(String, String)], body: [UInt8], timeout: Duration) async -> SendOutcome {
        let start = ContinuousClock.now
        let elapsedMs: @Sendable () -> Int = { Int(truncatingIfNeeded: (ContinuousClock.now - start).milliseconds) }
        let shared = self.client
        let targets = self.targets
        let pinned = self.pinned
        let plain = self.plain
        let parsed = urls.parsed(url)
        let plainTarget = parsed.plain.map { PlainTarget(route: $0, headers: headers, body: body) }
        // The whole attempt, resolving included, ends `timeout` after it began.
        let deadline = NIODeadline.now() + .nanoseconds(timeout.nanoseconds)
        // The common case, plain http to an address: the pool keeps the deadline itself, so the
        // attempt needs no task of its own (a task per attempt was about 5 % of a delivery).
        if let plainTarget, let decision = targets.literalDecision(host: parsed.host) {
            switch decision {
            case .refused(let reason):
                return Self.failed(reason, latencyMs: elapsedMs())
            case .connect(_, let addresses, _):
                do {
                    return try await Self.exchange(
                        plain, plainTarget, addresses: addresses, until: deadline,
                        timeout: timeout, elapsedMs: elapsedMs)
                } catch {
                    return Self.failed(Self.describe(error), latencyMs: elapsedMs())
                }
            }
        }
        do {
            let result: SendOutcome? = try await AttemptDeadline.run(within: timeout) {
                // The guard runs inside the deadline: a slow resolver is a timed-out attempt.
                let decision = await targets.decide(host: parsed.host)
                if case .connect(_, let addresses, _) = decision, let plainTarget {
                    return try await Self.exchange(
                        plain, plainTarget, addresses: addresses, until: deadline,
                        timeout: timeout, elapsedMs: elapsedMs)
                }
                // Built only for what AsyncHTTPClient sends (https, URLs with credentials).
                let request = Self.makeRequest(url: url, headers: headers, body: body)
                switch decision {
                case .refused(let reason):
                    return Self.failed(reason, latencyMs: elapsedMs())
                case .connect(_, _, isLiteral: true):
                    // A literal address is what the shared client connects to; nothing to pin.
                    return try await Self.exchange(shared, request, timeout: timeout, elapsedMs: elapsedMs)
                case .connect(let host, let addresses, isLiteral: false):
                    // Like a resolver-driven connect, the next checked address is tried when one
                    // cannot be reached (`localhost` as ::1 with a receiver on 127.0.0.1 only).
                    var outcome: Result<SendOutcome, any Error> = .failure(CancellationError())
                    for address in addresses.prefix(4) {
                        let lease = await pinned.lease(host: host, address: address)
                        do {
                            outcome = .success(
                                try await Self.exchange(lease.client, request, timeout: timeout, elapsedMs: elapsedMs))
                        } catch {
                            outcome = .failure(error)
                        }
                        await pinned.release(
                            host: host, address: address, client: lease.client, transient: lease.transient)
                        guard case .failure(let error) = outcome, Self.isUnreachable(error) else { break }
                    }
                    return try outcome.get()
                }
            }
            guard let result else { return Self.timedOut(after: timeout, latencyMs: elapsedMs()) }
            return result
        } catch {
            return Self.failed(Self.describe(error), latencyMs: elapsedMs())
        }
    }

    /// A plain `http://` POST to the first of the checked addresses that answers, by `deadline`
    /// (`timeout` after the attempt began, for the message).
    static func exchange(
        _ pool: PlainHTTP1Pool, _ target: PlainTarget, addresses: [IPAddress], until deadline: NIODeadline,
        timeout: Duration, elapsedMs: @Sendable () -> Int
    ) async throws -> SendOutcome {
        var lastFailure: PlainHTTP1Pool.Failure?
        for address in addresses.prefix(4) {
            do {
                let answer = try await pool.post(
                    to: .init(address: address, port: target.port), head: target.head, body: target.body,
                    until: deadline)
                return answered(
                    status: answer.status, retryAfter: answer.retryAfter, body: answer.body, latencyMs: elapsedMs())
            } catch let failure as PlainHTTP1Pool.Failure {
                if failure.timedOut { return timedOut(after: timeout, latencyMs: elapsedMs()) }
                // Cancelled: the closed connection is not the receiver's doing.
                try Task.checkCancellation()
                lastFailure = failure
                if !failure.unreachable { break }
            }
        }
        return failed(lastFailure?.description ?? "no address to connect to", latencyMs: elapsedMs())
    }

    /// One request and a bounded read of its answer.
    static func exchange(
        _ client: HTTPClient, _ request: HTTPClientRequest, timeout: Duration, elapsedMs: @Sendable () -> Int
    ) async throws -> SendOutcome {
        let response = try await client.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
        var kept: [UInt8] = []
        var read = 0
        for try await chunk in response.body {
            read += chunk.readableBytes
            if kept.count < Self.loggedBodyLimit {
                let room = Self.loggedBodyLimit - kept.count
                kept += chunk.readableBytesView.prefix(room)
            }
            if read >= Self.readLimit { break }
        }
        return answered(
            status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"), body: kept,
            latencyMs: elapsedMs())
    }

    /// An attempt that got no answer, and why.
    static func failed(_ error: String, latencyMs: Int) -> SendOutcome {
        SendOutcome(statusCode: nil, latencyMs: latencyMs, responseBody: [], error: error, retryAfter: nil)
    }

    static func timedOut(after timeout: Duration, latencyMs: Int) -> SendOutcome {
        failed("timed out after \(DurationText.format(timeout))", latencyMs: latencyMs)
    }

    /// The outcome of an attempt the receiver answered, whichever client carried it.
    static func answered(status: Int, retryAfter: String?, body: [UInt8], latencyMs: Int) -> SendOutcome {
        let wait = status == 429 || status == 503 ? retryAfter.flatMap(parseRetryAfter) : nil
        return SendOutcome(
            statusCode: status, latencyMs: latencyMs, responseBody: body,
            error: (200..<300).contains(status) ? nil : "HTTP \(status)", retryAfter: wait)
    }

    static func makeRequest(url: String, headers: [(String, String)], body: [UInt8]) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: Self.userAgent)
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        return request
    }

    /// Errors that mean "nothing answered at this address", so another address may.
    static func isUnreachable(_ error: any Error) -> Bool {
        let description = describe(error)
        return description == "connection refused" || description == "connect timed out"
            || description.contains("unreachable")
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "timed out"
            case .connectTimeout: return "connect timed out"
            case .remoteConnectionClosed: return "connection closed by the receiver"
            default: return "HTTP client error: \(error)"
            }
        }
        let text = String(describing: error)
        // NIO's own connect timeout (PlainHTTP1Pool), bare or inside a NIOConnectionError.
        if text.contains("connectTimeout") { return "connect timed out" }
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return String(text.prefix(300))
    }

    /// `Retry-After` as delta-seconds or an HTTP date.
    static func parseRetryAfter(_ value: String) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        // Both forms are clamped to a week before any conversion: the receiver may send any number
        // or any year, and the retry policy caps the wait further anyway.
        let week = 7 * 86400
        if trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), !trimmed.isEmpty {
            // Digits beyond Int's range are still a number of seconds, just a very long one.
            return .seconds(Int(trimmed).map { min($0, week) } ?? week)
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = formatter.date(from: trimmed) {
            let seconds = min(max(date.timeIntervalSinceNow.rounded(.up), 0), Double(week))
            return .seconds(Int(saturating: seconds))
        }
        return nil
    }
}
