import Foundation
import Testing

/// `wirehook serve` with a generated admin token and standard output that is not a terminal
/// (a pipe or a log file, where others may read it): the token stays in its file.
@Suite(.timeLimit(.minutes(2)))
struct AdminTokenOutputTests {
    @Test func aGeneratedTokenIsNotPrintedToANonTerminalButItsFileIs() async throws {
        let dataDirectory = TemporaryDirectory.make()
        // An empty variable counts as unset, so the server generates a token.
        let server = try await ServerProcess.start(dataDirectory: dataDirectory, environment: ["WIREHOOK_ADMIN_TOKEN": ""])
        let path = dataDirectory + "/admin-token"
        let token = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("whadm_"))
        let output = server.output
        #expect(!output.contains(token), "the token must not reach a log: \(output)")
        #expect(output.contains("Generated an admin token; it is in \(path)"), "\(output)")
        let status = await server.terminate()
        #expect(status == 0)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }
}
