import Foundation
import WirehookCore

/// Runs receiver code written by others (seed samples, official libraries) against a captured delivery.
enum ExternalVerifier {
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    /// Returns the program's output when it accepted the delivery; throws with its output otherwise.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], delivery: TestReceiver.Received, secret: String)
        throws -> String
    {
        let input: JSONValue = [
            "body_base64": .string(Data(delivery.body).base64EncodedString()),
            "signature": .string(delivery.header("X-VPN-Signature") ?? ""),
            "headers": .object(delivery.headers.map { JSONMember($0.key, .string($0.value)) }),
            "secret": .string(secret),
        ]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(JSONWriter.serialize(input)))
        try stdin.fileHandleForWriting.close()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("\(program) \(arguments.joined(separator: " ")) rejected the delivery: \(output)")
        }
        return output
    }

    static func python(_ mode: String, delivery: TestReceiver.Received, secret: String) throws -> String {
        try run("python3", [fixtures.appendingPathComponent("verify_receivers.py").path, mode], delivery: delivery, secret: secret)
    }

    static func node(_ script: String, delivery: TestReceiver.Received, secret: String) throws -> String {
        try run("node", [fixtures.appendingPathComponent(script).path], delivery: delivery, secret: secret)
    }
}
