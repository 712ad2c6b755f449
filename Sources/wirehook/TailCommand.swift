import ArgumentParser
import Foundation
import WirehookAdmin
import WirehookCore

/// `wirehook tail`: deliveries as they finish, live, until interrupted.
struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Show delivery attempts as they finish (time, endpoint, event, outcome, status, latency).",
        discussion: """
            Follows the server's GET /deliveries/stream and reconnects after a restart or a dropped \
            connection without repeating or skipping a line. --json prints each attempt as one JSON \
            object per line.
            """)

    @OptionGroup var admin: AdminOptions
    @Option(help: "Only this endpoint (webhook id).") var webhook: String?
    @Option(help: "Only attempts that ended in success or failure.") var status: String?
    @Option(name: .customLong("event-type"), help: "Only this event type, or a pattern such as user.*.") var eventType: String?
    @Option(help: "Start after this cursor instead of now (0 replays every attempt still kept).") var after: String?
    @Option(help: "Exit after this many attempts.") var count: Int?

    func validate() throws {
        if let status, !["success", "failure"].contains(status) {
            throw ValidationError("--status must be success or failure")
        }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        try await admin.run { client, output in
            let stream = DeliveryStream(
                target: client.target,
                filter: .init(webhookID: webhook, outcome: status, eventType: eventType, after: after))
            let notes = Palette.automatic(isTerminal: isatty(STDERR_FILENO) == 1)
            var seen = 0
            try await stream.follow(
                onConnection: { event in
                    switch event {
                    case .connected:
                        Console.error(notes.paint("connected to \(client.target.baseURL); waiting for deliveries…", .dim))
                    case .lost(let reason, let retryIn):
                        Console.error(
                            notes.paint("connection lost (\(reason)); reconnecting in \(DurationText.format(retryIn))", .warning))
                    }
                },
                onAttempt: { attempt in
                    output.line(output.json ? JSONWriter.string(attempt.raw) : attempt.line(palette: output.palette))
                    seen += 1
                    return count.map { seen < $0 } ?? true
                })
        }
    }
}
