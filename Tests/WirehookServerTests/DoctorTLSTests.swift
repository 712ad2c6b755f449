import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Testing
import WirehookAdmin
import WirehookCore

/// Doctor's TLS check against a real TLS receiver with a certificate made for the test: one the
/// system does not trust, and the same one trusted, near and past its expiry.
@Suite(.timeLimit(.minutes(2)))
struct DoctorTLSTests {
    /// A self-signed certificate for 127.0.0.1, valid for `days`, and a server that completes the
    /// handshake and answers any request with 200.
    struct TLSReceiver {
        let channel: any Channel
        let certificatePath: String
        var port: Int { channel.localAddress?.port ?? 0 }
        var url: String { "https://127.0.0.1:\(port)/hook" }

        static func start(days: Int) async throws -> TLSReceiver {
            let directory = TemporaryDirectory.make()
            let certificate = directory + "/cert.pem"
            let key = directory + "/key.pem"
            let made = try await ChildProcess.run(
                "/usr/bin/env",
                [
                    "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
                    "-days", String(days), "-subj", "/CN=wirehook-test",
                    "-addext", "subjectAltName=IP:127.0.0.1",
                ])
            guard made.status == 0 else { throw TestFailure("openssl failed: \(made.output)") }
            let context = try NIOSSLContext(
                configuration: .makeServerConfiguration(
                    certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
                    privateKey: .file(key)))
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
        let year = Calendar(identifier: .gregorian).component(.year, from: Date().addingTimeInterval(30 * 86_400))
        #expect(tls.detail.contains("the certificate it presents expires \(year)-"), "\(tls.detail)")
        #expect(tls.fix?.contains("signed by a public CA") == true)
        #expect(!checks.contains { $0.name == "HTTP" }, "nothing past a failed handshake")
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
