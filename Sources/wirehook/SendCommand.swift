import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import WirehookCore

struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Submit one event to a running Wirehook (POST /events).")

    @Option(help: "Event type, e.g. user.created.") var type: String
    @Option(help: "Event data as JSON (default {}); '-' reads it from standard input.") var data: String = "{}"
    @Option(help: "Idempotency id; a repeat within 24 hours is accepted once.") var id: String?
    @Option(help: "Wirehook's base URL.") var url: String = "http://127.0.0.1:8080"
    @Option(help: "Admin token (default: WIREHOOK_ADMIN_TOKEN, then <data-dir>/admin-token).") var token: String?
    @Option(name: .customLong("data-dir"), help: "Data directory to read the admin token from.")
    var dataDir: String = ProcessInfo.processInfo.environment["WIREHOOK_DATA_DIR"] ?? "./wirehook-data"

    func run() async throws {
        let rawData = data == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : data
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(rawData)
        } catch {
            throw ValidationError("--data is not valid JSON: \(error)")
        }
        var members: [JSONMember] = [JSONMember("type", .string(type)), JSONMember("data", parsed)]
        if let id { members.append(JSONMember("id", .string(id))) }
        guard let token = token ?? ProcessInfo.processInfo.environment["WIREHOOK_ADMIN_TOKEN"]
            ?? (try? String(contentsOfFile: dataDir + "/admin-token", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        else {
            throw ValidationError("no admin token: pass --token, set WIREHOOK_ADMIN_TOKEN or point --data-dir at the server's")
        }
        var request = HTTPClientRequest(url: url.trimmingSuffix("/") + "/events")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: JSONWriter.serialize(.object(members))))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        print(String(buffer: body))
        if !(200..<300).contains(Int(response.status.code)) { throw ExitCode(1) }
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
