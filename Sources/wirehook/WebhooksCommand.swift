import ArgumentParser
import WirehookAdmin
import WirehookCore

/// `wirehook webhooks …`: the endpoints of a running server.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks", abstract: "List, inspect and change the webhook endpoints of a running server.",
        subcommands: [List.self, Show.self, Create.self, Update.self, Delete.self, Test.self, RotateSecret.self,
            Enable.self, Disable.self])

    static func path(_ id: String) -> String { "/webhooks/" + AdminClient.segment(id) }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every endpoint with its health and counts.")
        @OptionGroup var admin: AdminOptions
        @Option(help: "Only endpoints in this health: healthy, failing, paused or disabled.") var health: String?

        func run() async throws {
            try await admin.run { client, output in
                let answer = try await client.get("/webhooks", query: [("health", health)])
                output.show(answer) { WebhookViews.list(answer, palette: $0) }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One endpoint with its stats and health.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The webhook id (wh_…).") var id: String

        func run() async throws {
            try await admin.run { client, output in
                let answer = try await client.get(WebhooksCommand.path(id))
                output.show(answer) { WebhookViews.detail(answer["webhook"], palette: $0) }
            }
        }
    }

    /// The fields create and update share.
    struct EndpointFields: ParsableArguments {
        @Option(help: "Where deliveries go.") var url: String?
        @Option(name: .customLong("event"), help: "An event type, a scope wildcard (user.*) or *; repeat for more.")
        var events: [String] = []
        @Option(help: "A note for people.") var description: String?
        @Option(help: "Body and signature dialect: standard, remnawave, marzban, discord, telegram, …") var format: String?
        @Option(help: "Endpoint options as a JSON object, e.g. '{\"chat_id\":\"42\"}'.") var options: String?

        func members() throws -> [JSONMember] {
            var members: [JSONMember] = []
            if let url { members.append(JSONMember("url", .string(url))) }
            if !events.isEmpty { members.append(JSONMember("events", .array(events.map { .string($0) }))) }
            if let description { members.append(JSONMember("description", .string(description))) }
            if let format { members.append(JSONMember("format", .string(format))) }
            if let options { members.append(JSONMember("options", try JSONArgument.object(options, flag: "--options"))) }
            return members
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an endpoint; prints its secret, which is shown only this once.")
        @OptionGroup var admin: AdminOptions
        @OptionGroup var fields: EndpointFields
        @Option(help: "Use this secret instead of a generated one.") var secret: String?
        @Flag(help: "Create it disabled.") var disabled = false

        func validate() throws {
            guard fields.url != nil else { throw ValidationError("--url is required") }
            guard !fields.events.isEmpty else { throw ValidationError("give at least one --event (or --event '*')") }
        }

        func run() async throws {
            var members = try fields.members()
            if let secret { members.append(JSONMember("secret", .string(secret))) }
            if disabled { members.append(JSONMember("active", false)) }
            try await admin.run { client, output in
                let answer = try await client.send(.POST, "/webhooks", body: .object(members))
                output.show(answer) { WebhookViews.withSecret(answer["webhook"], palette: $0) }
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an endpoint; only the given fields change.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The webhook id.") var id: String
        @OptionGroup var fields: EndpointFields

        func run() async throws {
            let members = try fields.members()
            guard !members.isEmpty else {
                throw ValidationError("nothing to change: give --url, --event, --description, --format or --options")
            }
            try await admin.run { client, output in
                let answer = try await client.send(.PATCH, WebhooksCommand.path(id), body: .object(members))
                output.show(answer) { WebhookViews.detail(answer["webhook"], palette: $0) }
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an endpoint and its delivery log.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The webhook id.") var id: String

        func run() async throws {
            try await admin.run { client, output in
                let answer = try await client.send(.DELETE, WebhooksCommand.path(id))
                output.show(answer) { _ in "Deleted \(id)." }
            }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a real signed delivery to this endpoint only and show the receiver's answer.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The webhook id.") var id: String
        @Option(name: .customLong("event-type"), help: "Event type to send (default webhook.test).") var eventType: String?
        @Option(help: "Event data as a JSON object (default {\"test\":true,…}).") var data: String?

        func run() async throws {
            var members: [JSONMember] = []
            if let eventType { members.append(JSONMember("event_type", .string(eventType))) }
            if let data { members.append(JSONMember("custom_data", try JSONArgument.object(data, flag: "--data"))) }
            try await admin.run { client, output in
                let answer = try await client.send(.POST, WebhooksCommand.path(id) + "/test", body: .object(members))
                output.show(answer) { DeliveryViews.detail(answer["delivery"], palette: $0) }
                // A test that reached the receiver but was refused is a failure scripts should see.
                if let delivery = answer["delivery"], delivery["status"]?.stringValue != "success" {
                    let code = delivery["response_status"]?.intValue
                    throw AdminError(
                        .failed,
                        "the test delivery did not succeed" + (code.map { " (the receiver answered HTTP \($0))" } ?? ""))
                }
            }
        }
    }

    struct RotateSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-secret", abstract: "Give an endpoint a new secret; the old one signs during the grace period.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The webhook id.") var id: String
        @Option(help: "The new secret (default: generated).") var secret: String?
        @Option(help: "How long the old secret keeps signing, e.g. 24h (at most 7d; default 24h).") var grace: String?

        func run() async throws {
            var members: [JSONMember] = []
            if let secret { members.append(JSONMember("secret", .string(secret))) }
            if let grace {
                guard let duration = DurationText.parse(grace), duration >= .zero else {
                    throw ValidationError("--grace must be a duration such as 30m, 24h or 7d")
                }
                members.append(JSONMember("grace_seconds", .int(duration.components.seconds)))
            }
            try await admin.run { client, output in
                let answer = try await client.send(
                    .POST, WebhooksCommand.path(id) + "/rotate-secret", body: .object(members))
                output.show(answer) { palette in
                    WebhookViews.withSecret(answer["webhook"], palette: palette)
                        + (answer["note"]?.stringValue.map { "\n" + $0 } ?? "")
                }
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enable an endpoint: its health resets and what waited is sent.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The webhook id.") var id: String

        func run() async throws { try await setStatus(admin, id, "active") }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an endpoint: it gets no new events.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The webhook id.") var id: String

        func run() async throws { try await setStatus(admin, id, "disabled") }
    }

    static func setStatus(_ admin: AdminOptions, _ id: String, _ status: String) async throws {
        try await admin.run { client, output in
            let answer = try await client.send(.PATCH, path(id), body: ["status": .string(status)])
            output.show(answer) { palette in
                "\(id) is now " + palette.paint(status, Palette.tone(forOutcome: status) ?? .bold) + "."
            }
        }
    }
}
