import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOTLS
import WirehookCore

/// Checks one endpoint from this machine as the worker would reach it: DNS, TCP, TLS certificate
/// and its expiry, and whether anything answers HTTP there (HEAD, then OPTIONS).
public struct EndpointProbe: Sendable {
    let targets: TargetPolicy
    let timeout: Duration
    /// A certificate that expires within this long is a warning.
    let expiryWarning: Duration
    let now: @Sendable () -> Date
    /// The system's CAs, as the worker uses; a test adds its own.
    let trustRoots: NIOSSLTrustRoots

    public init(
        targets: TargetPolicy, timeout: Duration = .seconds(5), expiryWarning: Duration = .seconds(14 * 86_400),
        now: @escaping @Sendable () -> Date = Date.init, trustRoots: NIOSSLTrustRoots = .default
    ) {
        self.trustRoots = trustRoots
        self.targets = targets
        self.timeout = timeout
        self.expiryWarning = expiryWarning
        self.now = now
    }

    public func check(section: String, url: String, client: HTTPClient) async -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            return [DoctorCheck(section, "URL", .fail, "'\(url)' is not an http(s) URL", fix: "wirehook webhooks update \(section) --url …")]
        }
        let tls = scheme == "https"
        let port = components.port ?? (tls ? 443 : 80)
        guard (1...65535).contains(port) else {
            return [DoctorCheck(section, "URL", .fail, "port \(port) is out of range", fix: "wirehook webhooks update \(section) --url …")]
        }
        if scheme == "http" {
            checks.append(
                DoctorCheck(
                    section, "URL", .warn, "plain http: bodies and signatures cross the network unencrypted",
                    fix: "use an https:// URL where the receiver supports it"))
        }

        // DNS, and whether the server's SSRF guard will let deliveries reach what it resolves to.
        let bareHost = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let addresses: [String]
        do {
            addresses = try await Self.resolve(bareHost, port: port)
        } catch {
            checks.append(
                DoctorCheck(section, "DNS", .fail, "\(bareHost) does not resolve: \(error)", fix: "check the host name or its DNS records"))
            return checks
        }
        checks.append(DoctorCheck(section, "DNS", .ok, "\(bareHost) → \(addresses.prefix(4).joined(separator: ", "))"))
        let refused = addresses.compactMap { text in IPAddress(host: text).flatMap { targets.refusal(host: bareHost, address: $0) } }
        if let refusal = refused.first {
            checks.append(
                DoctorCheck(
                    section, "SSRF guard", .fail, "\(refusal)",
                    fix: "if this target is intended, list it in WIREHOOK_ALLOWED_TARGETS (or set WIREHOOK_ALLOW_PRIVATE_TARGETS=true)"))
        }

        // TCP, and for https the TLS handshake with the certificate verified as the worker does.
        let connection = await connect(host: bareHost, port: port, tls: tls)
        switch connection {
        case .refused(let message):
            checks.append(
                DoctorCheck(
                    section, "TCP", .fail, message,
                    fix: "make sure the receiver listens on port \(port) and no firewall drops the connection"))
            return checks
        case .tlsUnavailable(let message):
            checks.append(
                DoctorCheck(
                    section, "TLS", .fail, message, fix: "check this machine's CA certificates (ca-certificates)"))
            return checks
        case .handshakeFailed(var message):
            checks.append(DoctorCheck(section, "TCP", .ok, "connected to \(bareHost):\(port)"))
            var fix = "install a certificate that is valid for \(bareHost) and signed by a public CA"
            if case .connected(let certificate?) = await connect(host: bareHost, port: port, tls: true, verify: false) {
                // Only verification failed: say why, and until when the certificate is valid anyway.
                message = "handshake with \(bareHost) failed: \(certificate.distrust(now: now()))"
                fix = certificate.fix(now: now(), host: bareHost)
            }
            checks.append(DoctorCheck(section, "TLS", .fail, message, fix: fix))
            return checks
        case .connected(let certificate):
            checks.append(DoctorCheck(section, "TCP", .ok, "connected to \(bareHost):\(port)"))
            if tls, let expiry = certificate?.notValidAfter {
                let left = expiry.timeIntervalSince(now())
                let days = Int(left / 86_400)
                if left <= 0 {
                    checks.append(
                        DoctorCheck(section, "TLS", .fail, "certificate expired \(Timestamp.iso8601(expiry))", fix: "renew the certificate"))
                } else if left < expiryWarning.timeInterval {
                    checks.append(
                        DoctorCheck(
                            section, "TLS", .warn, "certificate expires in \(days) days (\(Timestamp.iso8601(expiry)))",
                            fix: "renew the certificate before it expires"))
                } else {
                    checks.append(DoctorCheck(section, "TLS", .ok, "certificate valid, expires in \(days) days"))
                }
            }
        }

        // Any HTTP answer means something listens; a 5xx is worth a look.
        var answer: (method: String, status: Int)?
        var lastError = ""
        for method in [HTTPMethod.HEAD, .OPTIONS] {
            var request = HTTPClientRequest(url: url)
            request.method = method
            request.headers.add(name: "User-Agent", value: "wirehook-doctor/\(WirehookVersion.current)")
            do {
                let response = try await client.execute(request, timeout: .milliseconds(timeout.milliseconds))
                _ = try? await response.body.collect(upTo: 64 << 10)
                answer = (method.rawValue, Int(response.status.code))
                if response.status.code != 405 && response.status.code != 501 { break }
            } catch {
                lastError = AdminClient.describe(error)
            }
        }
        if let answer {
            let level: DoctorCheck.Level = answer.status >= 500 && answer.status != 501 ? .warn : .ok
            checks.append(
                DoctorCheck(
                    section, "HTTP", level, "\(answer.method) answered \(answer.status)",
                    fix: "the receiver returns server errors; look at its logs"))
        } else {
            checks.append(DoctorCheck(section, "HTTP", .fail, "no HTTP answer: \(lastError)", fix: "check that an HTTP server listens at \(url)"))
        }
        return checks
    }

    enum Connection {
        case connected(certificate: PeerCertificate?)
        /// No TCP connection.
        case refused(String)
        /// TLS could not even be set up on this machine (its trust roots).
        case tlsUnavailable(String)
        /// Connected, but the TLS handshake failed.
        case handshakeFailed(String)
    }

    /// Connects once; for TLS waits for the handshake and reads the peer certificate.
    func connect(host: String, port: Int, tls: Bool, verify: Bool = true) async -> Connection {
        let handshake = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: PeerCertificate?.self)
        var bootstrap = ClientBootstrap(group: handshake.futureResult.eventLoop)
            .connectTimeout(.milliseconds(timeout.milliseconds))
        if tls {
            let context: NIOSSLContext
            do {
                var configuration = TLSConfiguration.makeClientConfiguration()
                configuration.trustRoots = trustRoots
                if !verify { configuration.certificateVerification = .none }
                context = try NIOSSLContext(configuration: configuration)
            } catch {
                handshake.fail(error)  // a promise left pending is a bug NIO reports
                return .tlsUnavailable("could not set up TLS: \(error)")
            }
            bootstrap = bootstrap.channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let ssl = try NIOSSLClientHandler(context: context, serverHostname: IPAddress(host: host) == nil ? host : nil)
                    try channel.pipeline.syncOperations.addHandler(ssl)
                    try channel.pipeline.syncOperations.addHandler(HandshakeWatcher(promise: handshake, ssl: ssl))
                }
            }
        }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            handshake.fail(error)
            return .refused("could not connect to \(host):\(port): \(error)")
        }
        defer { channel.close(promise: nil) }
        guard tls else {
            handshake.succeed(nil)
            return .connected(certificate: nil)
        }
        let deadline = channel.eventLoop.scheduleTask(in: .milliseconds(timeout.milliseconds)) {
            handshake.fail(ChannelError.connectTimeout(.milliseconds(timeout.milliseconds)))
        }
        defer { deadline.cancel() }
        do {
            return .connected(certificate: try await handshake.futureResult.get())
        } catch {
            return .handshakeFailed("handshake with \(host) failed: \(error)")
        }
    }

    /// Completes the promise with the peer's certificate once the handshake is done, or with its error.
    final class HandshakeWatcher: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = NIOAny
        let promise: EventLoopPromise<PeerCertificate?>
        let ssl: NIOSSLClientHandler

        init(promise: EventLoopPromise<PeerCertificate?>, ssl: NIOSSLClientHandler) {
            self.promise = promise
            self.ssl = ssl
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case TLSUserEvent.handshakeCompleted = event {
                promise.succeed(ssl.peerCertificate.map(PeerCertificate.init))
            }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            promise.fail(error)
            context.fireErrorCaught(error)
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.fail(ChannelError.ioOnClosedChannel)
            context.fireChannelInactive()
        }
    }

    /// The host's addresses as text, resolved on NIO's thread pool so no cooperative thread blocks.
    static func resolve(_ host: String, port: Int) async throws -> [String] {
        try await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var result: UnsafeMutablePointer<addrinfo>?
            let code = getaddrinfo(host, String(port), &hints, &result)
            guard code == 0, let first = result else {
                throw ResolveError(message: String(cString: gai_strerror(code)))
            }
            defer { freeaddrinfo(first) }
            var addresses: [String] = []
            var cursor: UnsafeMutablePointer<addrinfo>? = first
            while let entry = cursor {
                var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                if getnameinfo(entry.pointee.ai_addr, entry.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                    let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    if !addresses.contains(text) { addresses.append(text) }
                }
                cursor = entry.pointee.ai_next
            }
            return addresses
        }
    }

    struct ResolveError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
