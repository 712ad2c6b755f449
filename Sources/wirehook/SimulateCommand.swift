import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import WirehookCore

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Send a realistic stream of panel webhooks to a running Wirehook, signed as the panel signs them.",
        discussion: """
            Posts to <url>/ingest/<panel> with the panel's own envelope and proof, using the event
            catalog's example payloads. The secret must match Wirehook's WIREHOOK_SOURCE_* setting;
            it comes from --secret-file PATH, the WIREHOOK_SECRET variable or --secret (a flag
            overrides the variable); prefer the first two, since arguments show in the process list.
            """)

    enum Panel: String, ExpressibleByArgument, CaseIterable {
        case remnawave, marzban
        case wgPortal = "wg-portal"
    }

    @Option(help: "remnawave, marzban or wg-portal.") var panel: Panel
    @Option(help: "Events per second.") var rate: Double = 5
    @Option(help: "How many events to send (0: until interrupted).") var count: Int = 20
    @Option(help: "Wirehook's base URL.") var url: String = "http://127.0.0.1:8080"
    @OptionGroup(title: "The panel's secret (Remnawave WEBHOOK_SECRET_HEADER, Marzban WEBHOOK_SECRET, wg-portal auth)")
    var secretOptions: SecretOptions

    func run() async throws {
        guard rate > 0, rate <= 10_000 else { throw ValidationError("--rate must be from 0 to 10000") }
        let secret = try secretOptions.required("simulate")
        let catalog = EventCatalog.standard
        let entries = catalog.entries.filter { entry in
            switch panel {
            case .remnawave: return entry.names.remnawave != nil
            case .marzban: return entry.names.marzban != nil
            case .wgPortal: return entry.names.wgPortal != nil
            }
        }
        guard !entries.isEmpty else { throw ValidationError("the catalog has no events for \(panel.rawValue)") }
        let interval = Duration.milliseconds(Int64(1000 / rate))
        var sent = 0
        var failed = 0
        var lastReport = ContinuousClock.now
        while count == 0 || sent + failed < count {
            let entry = entries[(sent + failed) % entries.count]
            let event = Event(
                id: Identifier.make(prefix: "sim_"), type: entry.name, occurredAt: Date(), data: entry.example,
                source: panel.rawValue)
            let (body, headers) = render(event, secret: secret)
            var request = HTTPClientRequest(url: url.trimmingSuffix("/") + "/ingest/" + panel.rawValue)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            request.body = .bytes(ByteBuffer(bytes: body))
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                let reply = try await response.body.collect(upTo: 1 << 16)
                if (200..<300).contains(Int(response.status.code)) {
                    sent += 1
                } else {
                    failed += 1
                    Console.error("\(entry.name): HTTP \(response.status.code) \(String(buffer: reply))")
                }
            } catch {
                failed += 1
                Console.error("\(entry.name): \(error)")
            }
            if ContinuousClock.now - lastReport >= .seconds(1) {
                Console.line("\(panel.rawValue): \(sent) accepted, \(failed) failed")
                lastReport = .now
            }
            try await Task.sleep(for: interval)
        }
        Console.line("\(panel.rawValue): done, \(sent) accepted, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }

    /// The bytes and headers the panel itself would send for this event.
    func render(_ event: Event, secret: String) -> ([UInt8], [(String, String)]) {
        let format: any WebhookFormat =
            switch panel {
            case .remnawave: RemnawaveFormat()
            case .marzban: MarzbanFormat()
            case .wgPortal: WGPortalFormat()
            }
        guard case .body(let stored) = format.render(event) else { return ([], []) }
        let prepared = format.request(
            for: OutgoingRequest(
                endpointURL: url, secret: secret, options: .object([]),
                items: [
                    OutgoingItem(
                        eventID: event.id, eventType: event.type, occurredAt: event.occurredAt, body: stored,
                        previousAttempts: 0)
                ], attemptedAt: Date()))
        return (prepared.body, prepared.headers)
    }
}
