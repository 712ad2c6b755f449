import ArgumentParser
import WirehookAdmin
import WirehookCore

/// `wirehook keys …`: API keys with narrow scopes, so callers need not hold the admin token.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Create, list and revoke API keys.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A new key; printed once.")
        @OptionGroup var admin: AdminOptions
        @Option(help: "Who or what holds it.") var name: String
        @Option(name: .customLong("scope"), help: "events:write, webhooks:read, webhooks:write or admin; repeat for more.")
        var scopes: [String] = []

        func validate() throws {
            guard !scopes.isEmpty else { throw ValidationError("give at least one --scope") }
        }

        func run() async throws {
            try await admin.run { client, output in
                let answer = try await client.send(
                    .POST, "/api-keys", body: ["name": .string(name), "scopes": .array(scopes.map { .string($0) })])
                output.show(answer) { KeyViews.created(answer, palette: $0) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every key (never the key itself).")
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            try await admin.run { client, output in
                let answer = try await client.get("/api-keys")
                output.show(answer) { KeyViews.list(answer, palette: $0) }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refuse a key from the next request on.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The key id (key_…).") var id: String

        func run() async throws {
            try await admin.run { client, output in
                let answer = try await client.send(.DELETE, "/api-keys/" + AdminClient.segment(id))
                output.show(answer) { _ in "Revoked \(id)." }
            }
        }
    }
}
