import Foundation

/// A fresh PostgreSQL database per test server when the suite runs on PostgreSQL
/// (`WIREHOOK_TEST_DATABASE_URL`, set by scripts/test); nil on the SQLite pass.
enum TestDatabase {
    static var baseURL: String? { ProcessInfo.processInfo.environment["WIREHOOK_TEST_DATABASE_URL"] }

    static func makeIfEnabled() throws -> String? {
        guard let baseURL else { return nil }
        let name = "wh_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try psql(baseURL, "CREATE DATABASE \(name)")
        guard let slash = baseURL.lastIndex(of: "/") else { throw TestFailure("bad WIREHOOK_TEST_DATABASE_URL") }
        return baseURL[..<slash] + "/" + name
    }

    static func psql(_ url: String, _ sql: String) throws { _ = try query(url, sql) }

    static func query(_ url: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-A", "-t", "-c", sql]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("psql failed: \(text)") }
        return text
    }
}
