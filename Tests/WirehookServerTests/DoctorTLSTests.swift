import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Testing
@testable import WirehookAdmin
import WirehookCore
import WirehookTestSupport

/// Doctor's TLS check against a real TLS receiver with a certificate made for the test: one the
/// system does not trust (self-signed, or from an unknown CA), and the same one trusted, near and
/// past its expiry; and `wirehook doctor` itself naming a self-signed one.
@Suite(.timeLimit(.minutes(2)))
struct DoctorTLSTests {
    /// A certificate for 127.0.0.1, valid for `days`, self-signed or from a CA made for it, and a
    /// server that completes the handshake and answers any request with 200.
    struct TLSReceiver {
        let channel: any Channel
        let certificatePath: String
        var port: Int { channel.localAddress?.port ?? 0 }
        var url: String { "https://127.0.0.1:\(port)/hook" }

        static func start(days: Int, fromCA: Bool = false) async throws -> TLSReceiver {
            let directory = TemporaryDirectory.make()
            let certificate = directory + "/cert.pem"
            let key = directory + "/key.pem"
            func openssl(_ arguments: [String]) async throws {
                let made = try await ChildProcess.run("/usr/bin/env", ["openssl"] + arguments)
                guard made.status == 0 else { throw TestFailure("openssl failed: \(made.output)") }
            }
            let newCertificate = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", String(days)]
            var issuer: [String] = []
            if fromCA {
                try await openssl(
                    newCertificate + [
                        "-keyout", directory + "/ca-key.pem", "-out", directory + "/ca.pem",
                        "-subj", "/CN=wirehook-test-ca",
                    ])
                issuer = ["-CA", directory + "/ca.pem", "-CAkey", directory + "/ca-key.pem"]
            }
            try await openssl(
                newCertificate + [
                    "-keyout", key, "-out", certificate, "-subj", "/CN=wirehook-test",
                    "-addext", "subjectAltName=IP:127.0.0.1",
                ] + issuer)
            let context = try NIOSSLContext(
                configuration: .makeServerConfiguration(
                    certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
                    privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))))
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .childChannelInitializer { child in
                    child.eventLoop.makeCompletedFuture {
                        try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                        try child.pipeline.syncOperations.addHandler(Answer())
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
            return TLSReceiver(channel: channel, certificatePath: certificate)
        }

        func stop() { channel.close(promise: nil) }

        final class Answer: ChannelInboundHandler, Sendable {
            typealias InboundIn = ByteBuffer
            func channelRead(context: ChannelHandlerContext, data: NIOAny) {
                let reply = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                context.writeAndFlush(NIOAny(ByteBuffer(string: reply))).whenComplete { _ in
                    context.close(promise: nil)
                }
            }
        }
    }

    static func tlsCheck(_ checks: [DoctorCheck]) throws -> DoctorCheck {
        try #require(checks.first { $0.name == "TLS" }, "no TLS check in \(checks)")
    }

    @Test func anUntrustedCertificateFailsWithWhatToFixAndItsExpiry() async throws {
        let receiver = try await TLSReceiver.start(days: 30)
        defer { receiver.stop() }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        let checks = await EndpointProbe(targets: .allowingPrivate, timeout: .seconds(3))
            .check(section: "wh_tls", url: receiver.url, client: client)
        try await client.shutdown()
        let tls = try Self.tlsCheck(checks)
        #expect(tls.level == .fail)
        #expect(tls.detail.contains("handshake with 127.0.0.1 failed"), "\(tls.detail)")
        #expect(tls.detail.contains("its certificate is self-signed"), "\(tls.detail)")
        #expect(tls.detail.contains("it expires \(Self.expiryDay(days: 30))"), "\(tls.detail)")
        #expect(tls.detail.contains("(in 29 days)") || tls.detail.contains("(in 30 days)"), "\(tls.detail)")
        #expect(tls.fix?.contains("signed by a public CA") == true)
        #expect(!checks.contains { $0.name == "HTTP" }, "nothing past a failed handshake")
    }

    @Test func aCertificateFromAnUnknownCAIsNamedAsSuch() async throws {
        let receiver = try await TLSReceiver.start(days: 30, fromCA: true)
        defer { receiver.stop() }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        let checks = await EndpointProbe(targets: .allowingPrivate, timeout: .seconds(3))
            .check(section: "wh_ca", url: receiver.url, client: client)
        try await client.shutdown()
        let tls = try Self.tlsCheck(checks)
        #expect(tls.level == .fail)
        #expect(tls.detail.contains("not signed by a CA this machine trusts"), "\(tls.detail)")
        #expect(!tls.detail.contains("self-signed"), "\(tls.detail)")
        #expect(tls.detail.contains("it expires \(Self.expiryDay(days: 30))"), "\(tls.detail)")
        #expect(checks.first { $0.name == "TCP" }?.level == .ok, "the connection itself worked: \(checks)")
    }

    /// Issuer and subject are read from a receiver's certificate: whatever its bytes, the reader
    /// answers nil or names, and never reads past them.
    @Test func theCertificateReaderStaysWithinWhatItIsGiven() async throws {
        let selfSigned = try await TLSReceiver.start(days: 2)
        let fromCA = try await TLSReceiver.start(days: 2, fromCA: true)
        selfSigned.stop()
        fromCA.stop()
        let own = try NIOSSLCertificate.fromPEMFile(selfSigned.certificatePath)[0].toDERBytes()
        let issued = try NIOSSLCertificate.fromPEMFile(fromCA.certificatePath)[0].toDERBytes()
        let ownNames = try #require(PeerCertificate.issuerAndSubject(own))
        #expect(ownNames.issuer == ownNames.subject)
        let issuedNames = try #require(PeerCertificate.issuerAndSubject(issued))
        #expect(issuedNames.issuer != issuedNames.subject)
        #expect(String(decoding: issuedNames.issuer, as: UTF8.self).contains("wirehook-test-ca"))

        for length in 0..<own.count { #expect(PeerCertificate.issuerAndSubject(Array(own.prefix(length))) == nil) }
        var random = SplitMix64(seed: 0x5EED_CE27)
        for _ in 0..<2000 {
            var bytes = random.chance(50) ? own : issued
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            _ = PeerCertificate.issuerAndSubject(bytes)
        }
        #expect(PeerCertificate.issuerAndSubject([0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]) == nil)
        #expect(PeerCertificate.issuerAndSubject([0x30, 0x85, 1, 0, 0, 0, 0]) == nil)
    }

    /// The day a certificate made now for `days` expires, as doctor writes it (UTC).
    static func expiryDay(days: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let day = calendar.dateComponents([.year, .month, .day], from: Date().addingTimeInterval(Double(days) * 86_400))
        return String(format: "%04d-%02d-%02d", day.year ?? 0, day.month ?? 0, day.day ?? 0)
    }

    /// `wirehook doctor`, the real binary, beside a real server with a webhook to the receiver.
    @Test func theDoctorCommandReportsASelfSignedCertificateAndItsExpiry() async throws {
        let receiver = try await TLSReceiver.start(days: 30)
        defer { receiver.stop() }
        let directory = TemporaryDirectory.make()
        let server = try await ServerProcess.start(dataDirectory: directory)
        defer { server.kill9() }
        let (webhookID, _) = try await server.api.createWebhook(url: receiver.url)
        let arguments = ["doctor", "--timeout", "3s", "--data-dir", directory, "--server", server.baseURL]
        let environment = ["WIREHOOK_ALLOW_PRIVATE_TARGETS": "true"]

        let run = try await CLIRun.run(arguments + ["--json"], environment: environment)
        #expect(run.status == ExitStatus.failure.rawValue, "an untrusted certificate is something to fix: \(run.all)")
        let tls = try #require(
            DoctorTests.find(run, "endpoint \(webhookID)", "TLS"), "no TLS check for the webhook: \(run.stdout)")
        #expect(tls["level"]?.stringValue == "fail")
        let detail = tls["detail"]?.stringValue ?? ""
        #expect(detail.contains("self-signed") && detail.contains("expires \(Self.expiryDay(days: 30))"), "\(detail)")
        #expect(tls["fix"]?.stringValue?.contains("signed by a public CA") == true, "\(tls)")
        #expect(DoctorTests.find(run, "endpoint \(webhookID)", "TCP")?["level"]?.stringValue == "ok", "\(run.stdout)")

        // The text report an admin reads says the same.
        let text = try await CLIRun.run(arguments, environment: environment)
        #expect(
            text.stdout.contains("self-signed") && text.stdout.contains("fix: install a certificate"), "\(text.stdout)")
    }

    @Test func aTrustedCertificateIsCheckedForItsExpiry() async throws {
        let receiver = try await TLSReceiver.start(days: 5)
        defer { receiver.stop() }
        let roots = NIOSSLTrustRoots.file(receiver.certificatePath)
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = roots
        let client = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(tlsConfiguration: tls))
        func probe(now: Date = Date(), warning: Duration = .seconds(14 * 86_400)) async -> [DoctorCheck] {
            await EndpointProbe(
                targets: .allowingPrivate, timeout: .seconds(3), expiryWarning: warning, now: { now }, trustRoots: roots
            ).check(section: "wh_tls", url: receiver.url, client: client)
        }

        let soon = await probe()
        #expect(try Self.tlsCheck(soon).level == .warn)
        #expect(try Self.tlsCheck(soon).detail.hasPrefix("certificate expires in 4 days"), "\(soon)")
        #expect(soon.first { $0.name == "HTTP" }?.detail == "HEAD answered 200", "\(soon)")

        let fine = await probe(warning: .seconds(86_400))
        #expect(try Self.tlsCheck(fine) == DoctorCheck("wh_tls", "TLS", .ok, "certificate valid, expires in 4 days"))

        let later = await probe(now: Date().addingTimeInterval(6 * 86_400))
        #expect(try Self.tlsCheck(later).level == .fail)
        #expect(try Self.tlsCheck(later).detail.hasPrefix("certificate expired"))
        try await client.shutdown()
    }
}
