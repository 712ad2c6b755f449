import Foundation

/// Runs a program to completion without holding a thread of Swift's cooperative pool.
///
/// Tests whose child talks back to the in-process server must not block while they wait: on
/// two cores two blocked waits leave no thread to answer the child, and both sides time out.
enum ChildProcess {
    /// `environment` adds to (or, with "", blanks) variables of this process's environment.
    static func run(_ executable: String, _ arguments: [String], input: [UInt8] = [], environment: [String: String] = [:])
        async throws -> (status: Int32, output: String)
    {
        let outputPath = NSTemporaryDirectory() + "wirehook-child-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = output
        process.standardError = output
        let status = try await wait(for: process, input: input)
        try? output.close()
        return (status, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
    }

    /// Starts `process`, writes `input` to its standard input (which must be a `Pipe`), and waits
    /// for its exit through `terminationHandler`, not on a pool thread.
    static func wait(for process: Process, input: [UInt8]) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            // Inputs here are small, well under a pipe's buffer, so this write cannot block.
            let stdin = process.standardInput as? Pipe
            stdin?.fileHandleForWriting.write(Data(input))
            try? stdin?.fileHandleForWriting.close()
        }
    }
}
