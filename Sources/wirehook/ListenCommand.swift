import ArgumentParser
import Foundation
import Hummingbird
import Logging
import WirehookCore
import WirehookVerify

struct ListenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listen",
        abstract: "Run a local receiver that verifies and pretty-prints every delivery it gets.",
        discussion: """
            Answers 200 to deliveries that verify and 401 to ones that do not. Stop it with Ctrl-C.
            The secret comes from --secret-file PATH, the WIREHOOK_SECRET variable or --secret (a flag
            overrides the variable); prefer the first two, since arguments show in the process list.
            """)

    @Option(help: "Port to listen on.") var port: Int = 9000
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "standard, remnawave, marzban, wg-portal or vpn-enterprise; 'none' skips verification.")
    var format: String = "standard"
    @OptionGroup(title: "Secret (not needed with --format none)") var secretOptions: SecretOptions
    @Option(help: "Seconds of clock skew accepted for standard timestamps.") var tolerance: Double = 300

    func run() async throws {
        let verifier: WebhookVerifier?
        if format == "none" {
            verifier = nil
        } else {
            guard let parsed = WebhookVerifier.Format(rawValue: format) else {
                throw ValidationError("unknown format '\(format)'")
            }
            guard tolerance.isFinite, tolerance >= 0 else {
                throw ValidationError("--tolerance must be 0 or more seconds")
            }
            let secret = try secretOptions.required("listen --format \(format) (or use --format none)")
            verifier = WebhookVerifier(format: parsed, secret: secret, tolerance: tolerance)
        }
        let router = Router()
        let counter = DeliveryCounter()
        router.post("/**") { request, _ -> Response in
            var request = request
            let body = Array(try await request.collectBody(upTo: 16 << 20).readableBytesView)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let number = counter.next()
            var verdict = "not checked"
            var status: HTTPResponse.Status = .ok
            if let verifier {
                do {
                    try verifier.verify(body: body, headers: headers)
                    verdict = "verified"
                } catch {
                    verdict = "REJECTED: \(error)"
                    status = .unauthorized
                }
            }
            var text = "── #\(number) \(request.method) \(request.uri.path) · \(body.count) bytes · \(verdict)\n"
            for (name, value) in headers.sorted(by: { $0.key < $1.key })
            where name.hasPrefix("webhook-") || name.hasPrefix("x-") || name == "user-agent" || name == "content-type" {
                text += "   \(name): \(name == "x-webhook-secret" ? "***" : value)\n"
            }
            if let json = try? JSONParser.parse(body) {
                text += PrettyJSON.string(json) + "\n"
            } else {
                text += String(decoding: body.prefix(4096), as: UTF8.self) + "\n"
            }
            Console.line(text)
            return Response(status: status)
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "wirehook-listen"),
            onServerRunning: { channel in
                Console.line("Listening on http://\(host):\(channel.localAddress?.port ?? port) (format \(format))")
            },
            logger: Logger(label: "wirehook-listen", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.runService()
    }
}

/// Numbers deliveries in arrival order across concurrent requests.
final class DeliveryCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { value += 1; return value } }
}
