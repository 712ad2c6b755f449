import ArgumentParser
import WirehookAdmin
import WirehookCore

/// `wirehook events …`: submit an event, or deliver a stored one again.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Send events and redeliver stored ones.",
        subcommands: [Send.self, Redeliver.self])

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Submit one event (POST /events).")
        @OptionGroup var admin: AdminOptions
        @Option(help: "Event type, e.g. user.created.") var type: String
        @Option(help: "Event data as a JSON object (default {}); '-' reads it from standard input.") var data = "{}"
        @Option(help: "Idempotency id; a repeat within 24 hours is accepted once.") var id: String?

        func run() async throws {
            var members: [JSONMember] = [
                JSONMember("type", .string(type)), JSONMember("data", try JSONArgument.object(data, flag: "--data")),
            ]
            if let id { members.append(JSONMember("id", .string(id))) }
            try await admin.run { client, output in
                let answer = try await client.send(.POST, "/events", body: .object(members))
                output.show(answer) { _ in
                    let eventID = Display.text(answer["event"]?["id"])
                    let count = answer["deliveries"]?.intValue ?? 0
                    return answer["duplicate"]?.boolValue == true
                        ? "Event \(eventID) was already accepted; nothing new was queued."
                        : "Accepted event \(eventID): \(count) \(count == 1 ? "delivery" : "deliveries") queued."
                }
            }
        }
    }

    struct Redeliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a stored event again to every endpoint subscribed to it now.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The event id.") var id: String

        func run() async throws {
            try await admin.run { client, output in
                let answer = try await client.send(.POST, "/events/\(AdminClient.segment(id))/redeliver")
                output.show(answer) { _ in
                    "Redelivering \(id): \(Display.text(answer["deliveries"])) deliveries queued."
                }
            }
        }
    }
}
