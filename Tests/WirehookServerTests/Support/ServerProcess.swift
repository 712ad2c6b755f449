import Foundation
import WirehookCore

/// The `wirehook` binary run as a child process, for tests that kill it for real.
final class ServerProcess: @unchecked Sendable {
    let process: Process
    let outputPath: String
    let baseURL: String

    static var binaryPath: String {
        if let path = ProcessInfo.processInfo.environment["WIREHOOK_BIN"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/wirehook").path
    }

    private init(process: Process, outputPath: String, baseURL: String) {
        self.process = process
        self.outputPath = outputPath
        self.baseURL = baseURL
    }

    /// `port` 0 picks a free one; a test that restarts a server at the same address passes its own.
    static func start(dataDirectory: String, environment: [String: String] = [:], port: Int = 0) async throws
        -> ServerProcess
    {
        guard FileManager.default.isExecutableFile(atPath: binaryPath) else {
            throw TestFailure("no wirehook binary at \(binaryPath): run `swift build` first (scripts/test does)")
        }
        let outputPath = dataDirectory + "/server-\(UUID().uuidString).log"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binaryPath)
        process.arguments = ["serve", "--port", String(port), "--data-dir", dataDirectory]
        var env = ProcessInfo.processInfo.environment
        env["WIREHOOK_ADMIN_TOKEN"] = TestServer.adminToken
        // Test receivers listen on 127.0.0.1; a test of the guard itself overrides this.
        env["WIREHOOK_ALLOW_PRIVATE_TARGETS"] = "true"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on http://") {
                let rest = text[range.upperBound...]
                let address = rest.prefix(while: { !$0.isNewline })
                return ServerProcess(process: process, outputPath: outputPath, baseURL: "http://" + address)
            }
            if !process.isRunning { throw TestFailure("wirehook exited at start: \(text)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw TestFailure("wirehook did not start within 30s")
    }

    var api: APIClient { APIClient(baseURL: baseURL, token: TestServer.adminToken) }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then the exit status once the process has stopped.
    func terminate() async -> Int32 {
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            // Say why before forcing it, or a stuck shutdown would only show as status 9.
            let tail = output.split(separator: "\n").suffix(40).joined(separator: "\n")
            print("wirehook (pid \(process.processIdentifier)) ignored SIGTERM for 20s; last log lines:\n\(tail)")
            kill9()
        }
        return process.terminationStatus
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
}
