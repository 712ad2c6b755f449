import Foundation
import Synchronization
import Testing
import WirehookAdmin
import WirehookCore

/// The admin commands (`webhooks`, `deliveries`, `recover`, `events`, `keys`) run as the real
/// binary against a real server: JSON parsed back, tables read, exit codes checked.
@Suite(.timeLimit(.minutes(3)))
struct AdminCLITests {
    /// Runs `wirehook` against `server` with the admin token from the environment.
    static func cli(_ server: TestServer, _ arguments: [String], token: String = TestServer.adminToken) async throws
        -> CLIRun
    {
        try await CLIRun.run(arguments, environment: ["WIREHOOK_URL": server.baseURL, "WIREHOOK_TOKEN": token])
    }

    @Test func webhookLifecycleWithJSONAndTables() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }

        let created = try await Self.cli(
            server,
            ["webhooks", "create", "--url", "http://127.0.0.1:9/hook", "--event", "user.*", "--event", "node.created",
                "--description", "billing bot", "--json"])
        #expect(created.status == 0, "\(created.all)")
        let webhook = try #require(created.json?["webhook"], "not JSON: \(created.stdout)")
        let id = try #require(webhook["id"]?.stringValue)
        let secret = try #require(webhook["secret"]?.stringValue)
        #expect(secret.hasPrefix("whsec_") && !secret.contains("masked"), "create shows the full secret once")
        #expect(webhook["events"] == ["user.*", "node.created"])
        #expect(!created.stdout.contains("\u{1B}["), "no colour outside a terminal")

        let listed = try await Self.cli(server, ["webhooks", "list", "--json"])
        #expect(listed.status == 0)
        #expect(listed.json?["webhooks"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [id])
        #expect(listed.json?["webhooks"]?.arrayValue?.first?["secret"]?.stringValue?.contains("masked") == true)

        // The table for people: a header and one aligned row, no escape codes in a pipe.
        let table = try await Self.cli(server, ["webhooks", "list"])
        #expect(table.status == 0, "\(table.all)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(table.stdout)")
        #expect(lines.first?.hasPrefix("ID") == true)
        let urlColumn = try #require(lines.first?.range(of: "URL")).lowerBound.utf16Offset(in: lines[0])
        #expect(lines.last?.utf16.count ?? 0 > urlColumn)
        #expect(lines.last.map { String($0.utf16.dropFirst(urlColumn)) ?? "" }?.hasPrefix("http://127.0.0.1:9/hook") == true)
        #expect(table.stdout.contains(id) && !table.stdout.contains(secret))

        let shown = try await Self.cli(server, ["webhooks", "show", id])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("billing bot") && shown.stdout.contains("healthy"), "\(shown.stdout)")

        let updated = try await Self.cli(server, ["webhooks", "update", id, "--description", "renamed", "--json"])
        #expect(updated.json?["webhook"]?["description"]?.stringValue == "renamed", "\(updated.all)")

        let disabled = try await Self.cli(server, ["webhooks", "disable", id, "--json"])
        #expect(disabled.json?["webhook"]?["status"]?.stringValue == "disabled", "\(disabled.all)")
        let enabled = try await Self.cli(server, ["webhooks", "enable", id])
        #expect(enabled.status == 0 && enabled.stdout.contains("active"), "\(enabled.all)")
        #expect(try await server.api.get("/webhooks/\(id)")["webhook"]?["status"]?.stringValue == "active")

        let rotated = try await Self.cli(server, ["webhooks", "rotate-secret", id, "--grace", "1h", "--json"])
        let newSecret = try #require(rotated.json?["webhook"]?["secret"]?.stringValue, "\(rotated.all)")
        #expect(newSecret != secret && newSecret.hasPrefix("whsec_"))
        #expect(rotated.json?["previous_secret_expires_at"]?.stringValue != nil)

        let deleted = try await Self.cli(server, ["webhooks", "delete", id])
        #expect(deleted.status == 0, "\(deleted.all)")
        // The server's own message, and the not-found exit code.
        let gone = try await Self.cli(server, ["webhooks", "show", id])
        #expect(gone.status == ExitStatus.notFound.rawValue, "\(gone.all)")
        #expect(gone.stderr.contains(id), "\(gone.stderr)")
        let goneJSON = try await Self.cli(server, ["webhooks", "show", id, "--json"])
        #expect(goneJSON.json?["error"]?["status"]?.intValue == 404)
        #expect(goneJSON.json?["error"]?["code"]?.stringValue == "not_found", "\(goneJSON.stdout)")
    }

    @Test func eventsDeliveriesRetryAndRedeliver() async throws {
        let receiver = try await TestReceiver.start()
        defer { receiver.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let (id, _) = try await server.api.createWebhook(url: receiver.url)

        let sent = try await Self.cli(
            server, ["events", "send", "--type", "user.created", "--data", #"{"username":"alice"}"#, "--id", "evt-cli-1", "--json"])
        #expect(sent.status == 0, "\(sent.all)")
        #expect(sent.json?["deliveries"]?.intValue == 1)
        _ = try await receiver.waitFor(count: 1)
        let list = try await server.api.waitForDeliveries(webhookID: id) { $0.first?["status"] == "success" }
        let deliveryID = try #require(list.first?["id"]?.stringValue)

        let listed = try await Self.cli(server, ["deliveries", "list", "--webhook", id, "--json"])
        #expect(listed.json?["deliveries"]?.arrayValue?.first?["id"]?.stringValue == deliveryID, "\(listed.all)")
        let table = try await Self.cli(server, ["deliveries", "list", "--webhook", id])
        #expect(table.stdout.contains(deliveryID) && table.stdout.contains("success"), "\(table.stdout)")

        let shown = try await Self.cli(server, ["deliveries", "show", "--webhook", id, deliveryID])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("evt-cli-1") && shown.stdout.contains("200"), "\(shown.stdout)")

        let retried = try await Self.cli(server, ["deliveries", "retry", "--webhook", id, deliveryID, "--json"])
        #expect(retried.status == 0, "\(retried.all)")
        #expect(retried.json?["delivery"]?["id"]?.stringValue == deliveryID)
        _ = try await receiver.waitFor(count: 2)

        let redelivered = try await Self.cli(server, ["events", "redeliver", "evt-cli-1", "--json"])
        #expect(redelivered.json?["deliveries"]?.intValue == 1, "\(redelivered.all)")
        _ = try await receiver.waitFor(count: 3)

        let unknown = try await Self.cli(server, ["events", "redeliver", "no-such-event"])
        #expect(unknown.status == ExitStatus.notFound.rawValue)
        #expect(unknown.stderr.contains("no stored event"), "the server's message: \(unknown.stderr)")

        let invalid = try await Self.cli(server, ["events", "send", "--type", "not a type!"])
        #expect(invalid.status == ExitStatus.failure.rawValue, "\(invalid.all)")
        #expect(!invalid.stderr.isEmpty)
    }

    @Test func recoverQueuesFailedDeliveriesAndFollowsThem() async throws {
        let failing = Atomic<Bool>(true)
        let receiver = try await TestReceiver.start { _, _ in
            TestReceiver.Reply(status: failing.load(ordering: .relaxed) ? 500 : 200)
        }
        defer { receiver.stop() }
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let (id, _) = try await server.api.createWebhook(url: receiver.url)
        try await server.api.sendEvent("user.created", data: ["n": 1])
        try await server.api.sendEvent("user.created", data: ["n": 2])
        // Two retries of 200 and 400 ms, then the deliveries are failed for good.
        _ = try await server.api.waitForDeliveries(webhookID: id) { list in
            list.count == 2 && list.allSatisfy { $0["status"] == "failed" }
        }
        failing.store(false, ordering: .relaxed)

        let recovered = try await Self.cli(server, ["recover", "--webhook", id, "--since", "1h"])
        #expect(recovered.status == 0, "\(recovered.all)")
        #expect(recovered.stdout.contains("recovered 2"), "progress lines: \(recovered.stdout)")
        let final = try #require(recovered.stdout.split(separator: "\n").last)
        #expect(final.contains("2 delivered") && final.contains("0 pending"), "\(recovered.stdout)")
        let list = try await server.api.get("/webhooks/\(id)/deliveries")
        #expect(list["deliveries"]?.arrayValue?.allSatisfy { $0["status"] == "success" } == true)

        // Nothing failed is left: a second recover queues none, and says so in JSON.
        let again = try await Self.cli(server, ["recover", "--webhook", id, "--since", "1h", "--json"])
        #expect(again.json?["recovered"]?.intValue == 0, "\(again.all)")
        let badSince = try await Self.cli(server, ["recover", "--webhook", id, "--since", "yesterday"])
        #expect(badSince.status == ExitStatus.usage.rawValue, "\(badSince.all)")
    }

    @Test func keysScopesAndAuthenticationExits() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        let created = try await Self.cli(
            server, ["keys", "create", "--name", "reader", "--scope", "webhooks:read", "--json"])
        #expect(created.status == 0, "\(created.all)")
        let key = try #require(created.json?["api_key"]?["key"]?.stringValue)
        let keyID = try #require(created.json?["api_key"]?["id"]?.stringValue)

        let listed = try await Self.cli(server, ["keys", "list"])
        #expect(listed.stdout.contains(keyID) && listed.stdout.contains("reader") && !listed.stdout.contains(key))

        // The read-only key reads, and is refused a write with the server's message.
        #expect(try await Self.cli(server, ["webhooks", "list"], token: key).status == 0)
        let refused = try await Self.cli(
            server, ["webhooks", "create", "--url", "http://127.0.0.1:9/x", "--event", "*"], token: key)
        #expect(refused.status == ExitStatus.unauthorized.rawValue, "\(refused.all)")
        #expect(refused.stderr.contains("webhooks:write"), "\(refused.stderr)")

        let revoked = try await Self.cli(server, ["keys", "revoke", keyID])
        #expect(revoked.status == 0, "\(revoked.all)")
        #expect(try await Self.cli(server, ["webhooks", "list"], token: key).status == ExitStatus.unauthorized.rawValue)
        #expect(try await Self.cli(server, ["webhooks", "list"], token: "wrong-token-0123456789").status == 77)
    }

    @Test func tokenFromTheDataDirectoryAndUnreachableServers() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        // No token given: the data directory's admin-token file is read, as for a local server.
        let directory = TemporaryDirectory.make()
        try Data((TestServer.adminToken + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/admin-token"))
        let fromFile = try await CLIRun.run(
            ["webhooks", "list", "--server", server.baseURL, "--data-dir", directory, "--json"])
        #expect(fromFile.status == 0, "\(fromFile.all)")
        #expect(fromFile.json?["total"]?.intValue == 0)

        let noToken = try await CLIRun.run(["webhooks", "list", "--server", server.baseURL, "--data-dir", "/nonexistent"])
        #expect(noToken.status == ExitStatus.usage.rawValue)
        #expect(noToken.stderr.contains("no token"), "\(noToken.stderr)")

        // A port nobody listens on: the unreachable exit, and a message that says where it tried.
        let closed = try await CLIRun.run(
            ["webhooks", "list", "--server", "http://127.0.0.1:1", "--token", "x", "--json"])
        #expect(closed.status == ExitStatus.unreachable.rawValue, "\(closed.all)")
        #expect(closed.stderr.contains("127.0.0.1:1"))
        #expect(closed.json?["error"]?["code"]?.stringValue == "unreachable")

        let badURL = try await CLIRun.run(["webhooks", "list", "--server", "ftp://x", "--token", "x"])
        #expect(badURL.status == ExitStatus.usage.rawValue)
    }

    @Test func completionScriptsNameTheAdminCommands() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let script = try await CLIRun.run(["--generate-completion-script", shell])
            #expect(script.status == 0, "\(shell): \(script.all)")
            #expect(script.stdout.contains("webhooks") && script.stdout.contains("rotate-secret"), "\(shell)")
        }
    }

    @Test func colourOnlyOnATerminalAndNeverWithNO_COLOR() {
        #expect(Palette.automatic(environment: [:], isTerminal: true).enabled)
        #expect(!Palette.automatic(environment: [:], isTerminal: false).enabled)
        #expect(!Palette.automatic(environment: ["NO_COLOR": "1"], isTerminal: true).enabled)
        #expect(Palette.automatic(environment: ["NO_COLOR": ""], isTerminal: true).enabled, "empty NO_COLOR is unset")
        #expect(!Palette.automatic(environment: ["TERM": "dumb"], isTerminal: true).enabled)
        var table = Table(["A", "STATUS"])
        table.add(["x", .init("success", tone: .good)])
        table.add(["longer\u{1B}[31m", .init("failure", tone: .bad)])
        let plain = table.render(palette: Palette(enabled: false))
        #expect(plain == "A            STATUS\nx            success\nlonger [31m  failure")
        let coloured = table.render(palette: Palette(enabled: true))
        #expect(coloured.contains("\u{1B}[32msuccess\u{1B}[0m") && coloured.contains("\u{1B}[31mfailure\u{1B}[0m"))
    }
}
