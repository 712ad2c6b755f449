import ArgumentParser
import WirehookAdmin
import WirehookCore

/// `wirehook deliveries …`: an endpoint's delivery log.
struct DeliveriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries", abstract: "Read an endpoint's delivery log and retry deliveries.",
        subcommands: [List.self, Show.self, Retry.self])

    static func path(_ webhook: String, _ delivery: String? = nil) -> String {
        WebhooksCommand.path(webhook) + "/deliveries" + (delivery.map { "/" + AdminClient.segment($0) } ?? "")
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deliveries of one endpoint, newest first.")
        @OptionGroup var admin: AdminOptions
        @Option(help: "The webhook id.") var webhook: String
        @Option(help: "Only success, failed, pending or skipped.") var status: String?
        @Option(help: "How many (1-100, default 50).") var limit: Int?
        @Option(help: "Continue after this cursor (printed under a full page).") var cursor: String?

        func run() async throws {
            if let limit, !(1...100).contains(limit) { throw ValidationError("--limit must be 1 to 100") }
            try await admin.run { client, output in
                let answer = try await client.get(
                    DeliveriesCommand.path(webhook),
                    query: [("status", status), ("limit", limit.map(String.init)), ("cursor", cursor)])
                output.show(answer) { DeliveryViews.list(answer, palette: $0) }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One delivery with every attempt.")
        @OptionGroup var admin: AdminOptions
        @Option(help: "The webhook id.") var webhook: String
        @Argument(help: "The delivery id.") var id: String

        func run() async throws {
            try await admin.run { client, output in
                let answer = try await client.get(DeliveriesCommand.path(webhook, id))
                output.show(answer) { DeliveryViews.detail(answer["delivery"], palette: $0) }
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Attempt one delivery again now, whatever its status, with a fresh retry schedule.")
        @OptionGroup var admin: AdminOptions
        @Option(help: "The webhook id.") var webhook: String
        @Argument(help: "The delivery id.") var id: String

        func run() async throws {
            try await admin.run { client, output in
                let answer = try await client.send(.POST, DeliveriesCommand.path(webhook, id) + "/retry")
                output.show(answer) { _ in "Queued \(id) again." }
            }
        }
    }
}
