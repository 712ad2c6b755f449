import Foundation
import WirehookCore

/// The `wirehook` binary run once as an admin would: exit status, standard output and standard
/// error apart (so `--json` output can be parsed on its own), without blocking a pool thread.
struct CLIRun: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Standard output parsed as one JSON document.
    var json: JSONValue? { try? JSONParser.parse(stdout.trimmingCharacters(in: .whitespacesAndNewlines)) }
    var all: String { stdout + stderr }

    /// `environment` replaces these variables of the test's own environment; the admin variables
    /// are cleared first so a developer's shell cannot leak a server or token into a test.
    static func run(_ arguments: [String], environment: [String: String] = [:], input: [UInt8] = []) async throws
        -> CLIRun
    {
        let directory = NSTemporaryDirectory() + "wirehook-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outPath = directory + "/out", errPath = directory + "/err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        var env = ProcessInfo.processInfo.environment
        for name in [
            "WIREHOOK_URL", "WIREHOOK_TOKEN", "WIREHOOK_ADMIN_TOKEN", "WIREHOOK_DATA_DIR", "WIREHOOK_DATABASE_URL",
            "WIREHOOK_ALLOW_PRIVATE_TARGETS", "WIREHOOK_ALLOWED_TARGETS", "WIREHOOK_ENCRYPTION_KEY", "NO_COLOR",
        ] {
            env[name] = nil
        }
        // The working directory is empty, so no ./wirehook-data/admin-token is found by accident.
        for (name, value) in environment { env[name] = value }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ServerProcess.binaryPath)
        process.arguments = arguments
        process.environment = env
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = out
        process.standardError = err
        let status = try await ChildProcess.wait(for: process, input: input)
        try? out.close()
        try? err.close()
        return CLIRun(
            status: status, stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}
