import ArgumentParser
import Foundation
import WirehookAdmin
import WirehookCore

/// `wirehook recover`: after an outage, send an endpoint's failed deliveries again and watch them go.
struct RecoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Queue an endpoint's deliveries since a time again (failed ones by default) and show progress.")

    @OptionGroup var admin: AdminOptions
    @Option(help: "The webhook id.") var webhook: String
    @Option(help: "How far back: a duration (2h, 30m, 1d) or an ISO time (2026-11-28T10:00:00Z).") var since: String
    @Option(help: "Up to this duration ago or ISO time (default: now).") var until: String?
    @Option(help: "failed (default), success or any.") var status: String?
    @Flag(help: "Return once queued instead of following the deliveries.") var noWait = false
    @Option(help: "Stop following after this long (default 5m); the deliveries go on.") var timeout: String = "5m"

    /// `2h` means two hours before now; anything else must be an ISO time.
    static func time(_ text: String, flag: String, now: Date = Date()) throws -> String {
        if let duration = DurationText.parse(text) {
            guard duration >= .zero, duration <= .seconds(366 * 86_400) else {
                throw ValidationError("\(flag) must be at most a year back")
            }
            return Timestamp.iso8601(now.addingTimeInterval(-Double(duration.components.seconds)))
        }
        guard Timestamp.parse(text) != nil else {
            throw ValidationError("\(flag) must be a duration such as 2h or an ISO time such as 2026-11-28T10:00:00Z")
        }
        return text
    }

    func run() async throws {
        var members: [JSONMember] = [JSONMember("since", .string(try Self.time(since, flag: "--since")))]
        if let until { members.append(JSONMember("until", .string(try Self.time(until, flag: "--until")))) }
        if let status { members.append(JSONMember("status", .string(status))) }
        guard let limit = DurationText.parse(timeout), limit > .zero else {
            throw ValidationError("--timeout must be a duration such as 5m")
        }
        try await admin.run { client, output in
            let progress = RecoveryProgress(client: client, webhookID: webhook)
            let baseline = try await progress.stats()
            let answer = try await client.send(
                .POST, WebhooksCommand.path(webhook) + "/recover", body: .object(members))
            let recovered = answer["recovered"]?.intValue ?? 0
            guard !noWait, recovered > 0 else {
                output.show(answer) { _ in "Queued \(recovered) deliveries of \(webhook) again." }
                return
            }
            // On a terminal the progress line redraws in place; elsewhere each change is a line.
            let redraw = !output.json && isatty(STDOUT_FILENO) == 1
            let last = try await progress.follow(recovered: recovered, baseline: baseline, timeout: limit) { snapshot in
                if output.json { return }
                if redraw {
                    FileHandle.standardOutput.write(Data(("\r\u{1B}[K" + snapshot.line).utf8))
                } else {
                    output.line(snapshot.line)
                }
            }
            if redraw { output.line("") }
            let final: JSONValue = answer.setting("pending", to: .int(last.pending))
                .setting("delivered", to: .int(last.delivered))
            if output.json { output.line(JSONWriter.string(final)) }
            if last.pending > 0 {
                output.note("Still \(last.pending) pending after \(timeout); they keep going out (wirehook tail shows them).")
            }
        }
    }
}
